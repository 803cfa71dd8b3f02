#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install the pinned dependencies (requirements.lock).
# Safe to run again: it reinstalls only when pyproject.toml or the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local candidate
    for candidate in python3.13 python3.12 python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            command -v "$candidate"
            return
        fi
    done
    # pyenv installs that .python-version does not select in this shell
    for candidate in "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return
        fi
    done
    return 1
}

if [ ! -x .venv/bin/python ]; then
    PYTHON=$(find_python) || {
        echo "error: the portal needs Python 3.12 or newer (3.13 recommended)." >&2
        echo "Install it (e.g. 'pyenv install 3.13.0' or your system's python3.13 package) and run this again." >&2
        exit 1
    }
    echo "Creating .venv with $("$PYTHON" --version) ($PYTHON)"
    "$PYTHON" -m venv .venv
fi

stamp=.venv/.installed-$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade "pip==$(sed -n 's/^pip==//p' requirements.lock)"
    .venv/bin/python -m pip install --quiet -c requirements.lock -e ".[dev]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
