#!/usr/bin/env bash
# Install everything and run the whole suite: lint, then every test on a throwaway PostgreSQL
# (real Chromium included), then the suite again on the SQLite default.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/install_services.sh  # PostgreSQL 15, Node.js and npm, redis-server: before npm runs
scripts/install_browser.sh
source scripts/postgres.sh

mkdir -p test-artifacts
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run -v0

# Both cores (pytest-xdist, a database per worker); a group marked xdist_group stays on one worker.
PARALLEL=(-n 2 --dist loadgroup)

# pytest's exit status 5 (no test selected, as when "$@" names tests without a serial one) is a pass.
pytest_may_select_none() {
    local status=0
    .venv/bin/python -m pytest "$@" || status=$?
    [ "$status" = 0 ] || [ "$status" = 5 ]
}

echo "== PostgreSQL"
start_throwaway_postgres
.venv/bin/python -m pytest "${PARALLEL[@]}" -m "not serial" "$@"
echo "== PostgreSQL: the tests that restart it, alone"
pytest_may_select_none -m serial "$@"
stop_throwaway_postgres
unset DATABASE_URL

echo "== SQLite (the embedded default)"
.venv/bin/python -m pytest "${PARALLEL[@]}" -m "not browser and not postgres" "$@"
