#!/usr/bin/env bash
# Throughput under a long tail of URLs: bench/long_tail.sh [--projects 100000] [--duration 60]
# The database of bench/run.sh (bench/database.sh: port 54362, BENCH_PG_PORT to change), Redis and
# wrk as bench/run.sh installs them, synthetic projects up to --projects, then bench/long_tail.py
# prints its table.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
scripts/install_services.sh
if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null; else sudo apt-get install -y wrk >/dev/null; fi
fi
# shellcheck source=bench/database.sh
source bench/database.sh
bench_database "${BENCH_PG_PORT:-54362}"
.venv/bin/python bench/long_tail.py "$@"
