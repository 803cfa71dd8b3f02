# Sourced by bench/run.sh, bench/after_edit.sh and bench/long_tail.sh: a throwaway PostgreSQL 15
# (port $1, removed on exit) with the settings of a deployed server, migrated, with the real data.
# A bigger working memory than the throwaway defaults: the 1M-row tables should fit in cache; and
# the planner costs of a server whose data sits in memory or on SSD (README, "Deployment"): with
# the default random_page_cost of 4 it scans whole through tables rather than probe their indexes.
bench_database() {
    PG_PORT=$1
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
}
