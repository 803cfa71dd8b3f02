#!/usr/bin/env bash
# The admin import of a full-size spreadsheet, timed: scripts/benchmark_import.sh [--size BYTES]
# A throwaway PostgreSQL 15 (port 54361, BENCH_PG_PORT to change; removed on exit), migrated, with
# the real data, then `manage.py benchmark_import`: a 5 MB CSV of new projects (IMPORT_MAX_FILE_SIZE)
# previewed and confirmed through the admin as an editor. docs/benchmarks.md keeps the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
PG_PORT=${BENCH_PG_PORT:-54361}
# shellcheck source=scripts/postgres.sh
PG_PORT=$PG_PORT source scripts/postgres.sh
start_throwaway_postgres

export DJANGO_ENV=development DEBUG=False
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_real_data --verbosity 0
.venv/bin/python manage.py benchmark_import "$@"
