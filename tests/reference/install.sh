#!/usr/bin/env bash
# Installs the reference implementations the differential tests compare
# the skill with, pinned, under target/reference/ (gitignored):
#   opening_hours.js (npm) for opening hours (tests/it/reference_hours.rs),
#   recurring-ical-events (PyPI) for RRULE/EXDATE/RDATE expansion
#   (tests/it/reference_ical.rs).
# Needs node with npm and python3 with venv. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

OPENING_HOURS_VERSION=3.15.0
RECURRING_ICAL_EVENTS_VERSION=3.8.2
DIR=target/reference
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
mkdir -p "$DIR"

have_js=$(node -p "try { require('./$DIR/node_modules/opening_hours/package.json').version } catch (e) { '' }" 2>/dev/null || true)
if [ "$have_js" != "$OPENING_HOURS_VERSION" ]; then
    npm install --prefix "$DIR" --no-audit --no-fund --no-save --silent "opening_hours@${OPENING_HOURS_VERSION}"
fi
echo "opening_hours $(node -p "require('./$DIR/node_modules/opening_hours/package.json').version")"

VENV="$DIR/venv"
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('recurring-ical-events') != '${RECURRING_ICAL_EVENTS_VERSION}')" 2>/dev/null; then
    if command -v python3.11 >/dev/null 2>&1; then PY=python3.11; else PY=python3; fi
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet "recurring-ical-events==${RECURRING_ICAL_EVENTS_VERSION}"
fi
echo "recurring-ical-events $("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('recurring-ical-events'))")"
