#!/usr/bin/env bash
# What `make test` needs beside Python and Chromium, installed from Debian's packages when missing
# (as root, through apt-get; skipped when present): PostgreSQL 15's server binaries for the
# throwaway cluster (scripts/postgres.sh), Node.js and npm for axe-core (scripts/install_browser.sh),
# and redis-server for the scale-out tests (skipped where it cannot be installed).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
updated=""

apt_install() {  # apt_install PACKAGE...
    if [ -z "$updated" ]; then
        apt-get update -qq
        updated=1
    fi
    echo "Installing Debian's $* package(s)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

stop_system_service() {  # the packages start a system-wide server; the tests start their own
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now "$1" >/dev/null 2>&1 || true; fi
}

need() {  # need WHAT HOW-TO-INSTALL: refuse to go on without it when not root
    echo "error: $1 is missing; install it with: sudo apt-get install -y $2" >&2
    exit 1
}

is_root() { [ "$(id -u)" = 0 ]; }

if [ ! -x "$PG_BIN/initdb" ]; then
    is_root || need "PostgreSQL 15 (server binaries in $PG_BIN)" postgresql-15
    apt_install postgresql-15
    stop_system_service postgresql
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    is_root || need "Node.js with npm (for axe-core)" "nodejs npm"
    apt_install nodejs npm
fi

if ! command -v redis-server >/dev/null 2>&1; then
    if is_root; then
        apt_install redis-server
        stop_system_service redis-server
    else
        echo "warning: redis-server is missing (sudo apt-get install -y redis-server); its tests will be skipped" >&2
    fi
fi
