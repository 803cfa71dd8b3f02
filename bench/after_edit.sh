#!/usr/bin/env bash
# The first request after an edit: bench/after_edit.sh [--projects 100000] [--reps 5]
# The database of bench/run.sh (bench/database.sh: port 54361, BENCH_PG_PORT to change), synthetic
# projects up to --projects, then bench/after_edit.py prints its table.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
# shellcheck source=bench/database.sh
source bench/database.sh
bench_database "${BENCH_PG_PORT:-54361}"
.venv/bin/python bench/after_edit.py "$@"
