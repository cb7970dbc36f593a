from briefreader.cli.main import main

raise SystemExit(main())
