#!/usr/bin/env bash
# Measures everything the README's "Speed, memory and size" table shows and
# rewrites that table, in one run on this machine:
#   - cold start (exec to first response posted on a Runtime API on
#     127.0.0.1), 30 runs each: hello-world lambda_runtime function (same
#     release profile), city-skill on the embedded corpus, city-skill on a
#     10,000-entry corpus read from a CSV file and from its compilation
#     (`city-skill compile`); with ratios to hello world;
#   - peak resident memory after 1,000 mixed requests, binary sizes;
#   - end to end per intent (criterion, then p50/p99 over 2,000 requests);
#   - rapidfuzz and BM25 beside our matcher (benches/compare.sh).
# Needs Rust and python3 (compare.sh makes its own venv). Takes 15-25 min
# on 2 cores, most of it compiling. COLDSTART_RUNS raises the run count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=target/results
mkdir -p "$OUT"
step() { printf '\n==> %s\n' "$*" >&2; }

step "release builds: city-skill and the hello-world function"
cargo build --release --locked -j2 --bin city-skill
# `cargo bench` later rebuilds target/release with the bench profile
# (symbols kept): measure a copy of the stripped release binary.
cp target/release/city-skill "$OUT/city-skill"
cargo build --release --locked -j2 --manifest-path benches/hello-lambda/Cargo.toml \
    --target-dir target/hello-lambda
cp target/hello-lambda/release/hello-lambda "$OUT/hello-lambda"
"$OUT/city-skill" generate --entries 10000 --seed 42 > "$OUT/synthetic-10k.csv"
# Lexical only: embedding 10,000 entries takes half an hour on 2 cores, and
# these rows measure the lexical index (the encoder rows use the default corpus).
"$OUT/city-skill" --corpus "$OUT/synthetic-10k.csv" compile --lexical-only --output "$OUT/synthetic-10k.cskc"

step "rapidfuzz and BM25 beside our matcher"
bash benches/compare.sh | tee "$OUT/compare.txt"

step "cold start, memory, size"
cargo bench --locked -j2 --bench coldstart -- \
    "$OUT/hello-lambda" "$OUT/city-skill" "$OUT/synthetic-10k.csv" "$OUT/synthetic-10k.cskc" \
    | tee "$OUT/coldstart.txt"

step "end to end per intent"
cargo bench --locked -j2 --bench e2e | tee "$OUT/e2e.txt"

step "README table"
python3 benches/results.py --out "$OUT" --readme README.md
