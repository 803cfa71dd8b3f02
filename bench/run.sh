#!/usr/bin/env bash
# The performance benchmark: bench/run.sh [--sizes 10000,100000,1000000] [--reps 40] [--duration 60]
# Bootstraps .venv, installs wrk when missing, starts a throwaway PostgreSQL 15 (port 54360, removed
# on exit), migrates, loads the real data, then bench/measure.py grows the synthetic data size by
# size and measures; the results table goes to docs/benchmarks.md. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
scripts/install_services.sh  # redis-server: the cache the 2 gunicorn workers share, as in production
if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null; else sudo apt-get install -y wrk >/dev/null; fi
fi

# shellcheck source=bench/database.sh
source bench/database.sh
bench_database "${BENCH_PG_PORT:-54360}"
.venv/bin/python bench/measure.py "$@"
