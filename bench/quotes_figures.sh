#!/bin/bash
# The quote benchmarks of issue 12 in one run, in parallel, each printing its N/M figures:
#
#   bash bench/quotes_figures.sh tune      # the tune pair sets (AllSides first, tune, second, third; BASIL tune)
#   bash bench/quotes_figures.sh guard     # PolNeAR tune pair sets, PolNeAR train+dev speakers, generated 3000
#   bash bench/quotes_figures.sh heldout   # the held-out parts: ONCE per version, after all tuning
#
# Corpora are read from /work/data (see README: bench/allsides_corpus.py, bench/basil_corpus.py, PolNeAR);
# a set whose corpus is missing prints its own "skipped" line. Full outputs go to $OUT (default
# /tmp/quotes_figures/<mode>); `--errors` on a single command there shows the pairs judged wrong.
set -u
MODE=${1:-tune}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
DATA=${DATA:-/work/data}
OUT=${OUT:-/tmp/quotes_figures/$MODE}
mkdir -p "$OUT"
cd "$ROOT" || exit 1

basil() {  # name, pair file, corpus, part
    "$PY" bench/eval_quotes_basil.py --pairs "$2" --corpus "$3" --part "$4" > "$OUT/$1.txt" 2>&1
}
cross() {  # name, pair file, part, extra args
    "$PY" bench/eval_quotes_cross_outlet.py --pairs "$2" --part "$3" "${@:4}" > "$OUT/$1.txt" 2>&1
}

case "$MODE" in
    tune)
        basil allsides_first bench/allsides_pairs.yaml "$DATA/allsides/corpus" tune &
        basil allsides_tune bench/allsides_tune_pairs.yaml "$DATA/allsides_tune/corpus" tune &
        wait
        basil allsides_second bench/allsides_ho2_pairs.yaml "$DATA/allsides_ho2/corpus" tune &
        basil basil_tune bench/basil_pairs.yaml "$DATA/basil/corpus" tune &
        wait
        basil allsides_third bench/allsides_ho3_pairs.yaml "$DATA/allsides_ho3/corpus" tune
        ;;
    guard)
        cross polnear_pairs bench/polnear_pairs.yaml tune &
        cross polnear_pairs2 bench/polnear_pairs2.yaml tune &
        wait
        cross polnear_pairs4 bench/polnear_pairs4.yaml tune &
        "$PY" bench/eval_quotes_polnear.py > "$OUT/polnear_speakers.txt" 2>&1 &
        wait
        "$PY" bench/bench_quotes.py --sizes 3000 > "$OUT/generated_3000.txt" 2>&1
        ;;
    heldout)
        basil allsides_sixth bench/allsides_ho6_pairs.yaml "$DATA/allsides_ho6/corpus" heldout &
        basil allsides_fifth bench/allsides_ho5_pairs.yaml "$DATA/allsides_ho5/corpus" heldout &
        wait
        basil allsides_fourth bench/allsides_ho4_pairs.yaml "$DATA/allsides_ho4/corpus" heldout &
        basil basil_heldout bench/basil_pairs.yaml "$DATA/basil/corpus" heldout &
        "$PY" bench/eval_quotes_polnear.py --split test > "$OUT/polnear_test.txt" 2>&1 &
        wait
        cross polnear_pairs bench/polnear_pairs.yaml heldout
        cross polnear_pairs2 bench/polnear_pairs2.yaml heldout
        cross polnear_pairs3 bench/polnear_pairs3.yaml heldout --splits train,dev,test
        ;;
    *)
        echo "usage: bash bench/quotes_figures.sh tune|guard|heldout" >&2
        exit 2
        ;;
esac
for f in "$OUT"/*.txt; do
    echo "== $(basename "$f" .txt)"
    grep -E "grouped|apart|sharing words|speaker right|found \(F1|precision|skipped|not found" "$f" | sed 's/^ */   /'
done
