# The two set-up commands (see README.md): `make serve` and `make test`.
.PHONY: serve test lint format bench

serve:  ## install everything, load the real data, serve on http://127.0.0.1:8000
	scripts/serve.sh

test:  ## install everything and run the whole suite (PostgreSQL, SQLite, real browser)
	scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
