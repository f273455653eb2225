#!/usr/bin/env bash
# Installs the real Wyoming client the tests of `city-skill wyoming` talk
# through (tests/it/wyoming.rs, tests/wyoming/client.py): the `wyoming`
# package from PyPI, pinned, in a venv under target/wyoming/ (gitignored).
# Needs python3 with venv. Idempotent; tests/it/helpers.rs runs it on the
# first test that needs it, .ci/run before `cargo test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

WYOMING_VERSION=1.10.2
VENV=target/wyoming/venv
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1

if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('wyoming') != '${WYOMING_VERSION}')" 2>/dev/null; then
    if command -v python3.11 >/dev/null 2>&1; then PY=python3.11; else PY=python3; fi
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet "wyoming==${WYOMING_VERSION}"
fi
echo "wyoming $("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('wyoming'))")"
