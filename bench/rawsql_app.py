"""The raw-SQL reference for the throughput benchmark: a tiny WSGI app, no Django.

It answers the same pages of projects the portal's listings show (the filtered listing, the
unfiltered first page, a deep page by keyset; any filters on /page) as JSON, straight from psycopg,
with the countries of the page's rows. Run it as the portal runs: `gunicorn -w 2 bench.rawsql_app:application`.
Parameters come from the environment (bench/measure.py sets them): DATABASE_URL, BENCH_COUNTRY_ID,
BENCH_TOPIC_ID, BENCH_YEAR_FROM, BENCH_YEAR_TO, BENCH_DEEP_DATE, BENCH_DEEP_ID.
"""

import datetime
import json
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import page_rows  # noqa: E402

_connection = None


def connection():
    global _connection
    if _connection is None or _connection.closed:
        # never prepared: see bench/measure.py (a generic plan would scan the table)
        _connection = psycopg.connect(os.environ["BENCH_PSYCOPG_DSN"], autocommit=True, prepare_threshold=None)
    return _connection


def filters():
    return {
        "country_id": int(os.environ["BENCH_COUNTRY_ID"]),
        "topic_id": int(os.environ["BENCH_TOPIC_ID"]),
        "year_from": int(os.environ["BENCH_YEAR_FROM"]),
        "year_to": int(os.environ["BENCH_YEAR_TO"]),
    }


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/filtered":
        rows = page_rows(connection(), 50, **filters())
    elif path == "/unfiltered":
        rows = page_rows(connection(), 50)
    elif path == "/deep":
        after = (datetime.date.fromisoformat(os.environ["BENCH_DEEP_DATE"]), int(os.environ["BENCH_DEEP_ID"]))
        rows = page_rows(connection(), 50, after=after)
    elif path == "/page":  # any filters, as bench/long_tail.py asks: ?limit=50&country_id=3&year_from=2010
        query = {key: int(values[0]) for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        rows = page_rows(connection(), query.pop("limit", 50), **query)
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    body = json.dumps({"results": rows}, default=str).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
