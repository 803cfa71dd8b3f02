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

PG_PORT=${BENCH_PG_PORT:-54360}
# shellcheck source=scripts/postgres.sh
PG_PORT=$PG_PORT source scripts/postgres.sh
start_throwaway_postgres
# a bigger working memory than the throwaway defaults: the 1M-row tables should fit in cache; and
# the planner costs of a server whose data sits in memory or on SSD (README, "Deployment"): with
# the default random_page_cost of 4 it scans whole through tables rather than probe their indexes
as_postgres "$PG_BIN/psql" -q -h "$PG_TMP" -p "$THROWAWAY_PG_PORT" -U postgres -c "ALTER SYSTEM SET shared_buffers = '2GB'" \
    -c "ALTER SYSTEM SET work_mem = '16MB'" -c "ALTER SYSTEM SET maintenance_work_mem = '256MB'" \
    -c "ALTER SYSTEM SET max_wal_size = '4GB'" -c "ALTER SYSTEM SET random_page_cost = 1.1" \
    -c "ALTER SYSTEM SET effective_cache_size = '4GB'" >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -w restart >/dev/null

export DJANGO_ENV=development DEBUG=False API_ANON_RATE=off
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_real_data --verbosity 0
.venv/bin/python bench/measure.py "$@"
