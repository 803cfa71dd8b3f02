#!/usr/bin/env bash
# The IATI import of a generated 100,000-activity file, timed:
#   scripts/benchmark_iati_import.sh [--sqlite] [--activities N] [--tracemalloc]
# A throwaway PostgreSQL 15 (port 54362, BENCH_PG_PORT to change; removed on exit), or with
# --sqlite a SQLite file in a temporary folder, migrated, with the real data, then
# `manage.py benchmark_iati_import`: the invented file imported new, again, and revised.
# docs/benchmarks.md keeps the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
if [ "${1:-}" = "--sqlite" ]; then
    shift
    SQLITE_DIR=$(mktemp -d /tmp/portal-iati-bench.XXXXXX)
    trap 'rm -rf "$SQLITE_DIR"' EXIT
    unset DATABASE_URL
    export SQLITE_PATH="$SQLITE_DIR/bench.sqlite3"
else
    # shellcheck source=scripts/postgres.sh
    PG_PORT=${BENCH_PG_PORT:-54362} source scripts/postgres.sh
    start_throwaway_postgres
fi

export DJANGO_ENV=development DEBUG=False
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_real_data --verbosity 0
.venv/bin/python manage.py benchmark_iati_import "$@"
