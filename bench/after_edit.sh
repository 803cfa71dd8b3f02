#!/usr/bin/env bash
# The first request after an edit: bench/after_edit.sh [--projects 100000] [--reps 5]
# A throwaway PostgreSQL 15 as bench/run.sh starts it (port 54361, removed on exit), the real
# data, synthetic projects up to --projects, then bench/after_edit.py prints its table.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
PG_PORT=${BENCH_PG_PORT:-54361}
# shellcheck source=scripts/postgres.sh
PG_PORT=$PG_PORT source scripts/postgres.sh
start_throwaway_postgres
as_postgres "$PG_BIN/psql" -q -h "$PG_TMP" -p "$THROWAWAY_PG_PORT" -U postgres -c "ALTER SYSTEM SET shared_buffers = '2GB'" \
    -c "ALTER SYSTEM SET work_mem = '16MB'" -c "ALTER SYSTEM SET maintenance_work_mem = '256MB'" \
    -c "ALTER SYSTEM SET max_wal_size = '4GB'" -c "ALTER SYSTEM SET random_page_cost = 1.1" \
    -c "ALTER SYSTEM SET effective_cache_size = '4GB'" >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -w restart >/dev/null

export DJANGO_ENV=development DEBUG=False API_ANON_RATE=off
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_real_data --verbosity 0
.venv/bin/python bench/after_edit.py "$@"
