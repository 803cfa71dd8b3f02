#!/usr/bin/env bash
# Install everything, create the SQLite database, load the real data and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_real_data
echo "Portal: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/"
echo "(create an admin account with: .venv/bin/python manage.py createsuperuser)"
# The task worker beside the server: it checks and imports the admin's large spreadsheets.
.venv/bin/python manage.py db_worker --verbosity 0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
.venv/bin/python manage.py runserver 127.0.0.1:8000
