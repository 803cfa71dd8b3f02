#!/usr/bin/env bash
# The scale-out tests run a throwaway redis-server (the cache several app servers share); this
# installs Debian's package when it is missing. The tests skip Redis where it cannot be installed.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        echo "warning: redis-server is missing (sudo apt-get install -y redis-server); its tests will be skipped" >&2
        exit 0
    fi
    echo "Installing Debian's redis-server package"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    # The package starts a system-wide server; the tests start their own, so stop that one.
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
fi
