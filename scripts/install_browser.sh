#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (no browser download is possible on these machines)
# and run axe-core from the npm registry for the accessibility check.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        echo "error: Chromium is missing; install it with: sudo apt-get install -y chromium" >&2
        exit 1
    fi
    echo "Installing Debian's chromium package"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ -f package-lock.json ] && [ ! -d node_modules ]; then
    npm ci --silent --no-audit --no-fund
fi
