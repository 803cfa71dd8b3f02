# Source this file: a throwaway PostgreSQL cluster on a Unix socket, removed on exit.
#   start_throwaway_postgres   -> exports DATABASE_URL and PG_TMP (the cluster's folder)
#   stop_throwaway_postgres    -> stops and removes it (registered as an EXIT trap by start)
# Uses the machine's PostgreSQL 15 server binaries; initdb refuses root, so it runs as `postgres`.

# `PG_PORT=54341 source scripts/postgres.sh` picks another port (kept even though bash drops the
# temporary PG_PORT after `source`).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
export THROWAWAY_PG_PORT=${PG_PORT:-54329}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_throwaway_postgres() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "error: PostgreSQL server binaries not found in $PG_BIN (apt-get install postgresql-15, or set PG_BIN)" >&2
        return 1
    fi
    PG_TMP=$(mktemp -d /tmp/portal-pg.XXXXXX)
    export PG_TMP
    [ "$(id -u)" = 0 ] && chown postgres "$PG_TMP"
    trap stop_throwaway_postgres EXIT
    as_postgres "$PG_BIN/initdb" -D "$PG_TMP/data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
        -o "-k $PG_TMP -p $THROWAWAY_PG_PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    local host
    host=$(python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$PG_TMP")
    export DATABASE_URL="postgres://postgres@$host:$THROWAWAY_PG_PORT/postgres"
    echo "Throwaway PostgreSQL running in $PG_TMP (port $THROWAWAY_PG_PORT)"
}

stop_throwaway_postgres() {
    if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_TMP/data" stop -m fast >/dev/null 2>&1 || true
        rm -rf "$PG_TMP"
    fi
}
