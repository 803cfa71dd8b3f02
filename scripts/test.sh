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

echo "== PostgreSQL"
start_throwaway_postgres
.venv/bin/python -m pytest "$@"
stop_throwaway_postgres
unset DATABASE_URL

echo "== SQLite (the embedded default)"
.venv/bin/python -m pytest -m "not browser and not postgres" "$@"
