#!/usr/bin/env bash
# Compares city-skill's FAQ matcher with rapidfuzz (WRatio, token_set_ratio)
# and BM25Okapi (rank-bm25) on the same questions, in one run:
#   - accuracy on tests/eval/questions.tsv and the held-out
#     tests/eval/holdout.tsv against the default corpus
#     (top-1 in scope, and out-of-scope questions answered),
#   - time per query on the default corpus and on 10,000 synthetic entries.
# Creates its own Python venv (.venv-bench) with pinned packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=.venv-bench
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import rapidfuzz, rank_bm25" 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet "rapidfuzz==3.*" "rank-bm25==0.2.2"
fi
cargo build --release -j2 --quiet
BIN=target/release/city-skill
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN" generate --entries 10000 --seed 42 > "$WORK/synthetic.csv"
"$VENV/bin/python" benches/compare.py --bin "$BIN" --eval tests/eval/questions.tsv \
    --eval tests/eval/holdout.tsv \
    --corpus corpus/munich/faq.toml --synthetic "$WORK/synthetic.csv" --work "$WORK"
