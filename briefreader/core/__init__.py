"""The model: corpus, cleaning, index, quotes, triage state, export. Never imports Textual."""
