"""The app recovers by itself when PostgreSQL restarts: requests fail only while it is down."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.serial, pytest.mark.django_db(transaction=True)]

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def pg_ctl(*args):
    command = [str(PG_BIN / "pg_ctl"), "-D", f"{os.environ['PG_TMP']}/data", *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def get(url):
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=10
        ) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_server(real_data):
    """gunicorn, as in production, on the test database, with persistent connections."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{urllib.parse.quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "False",
        "CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # every request reaches the database: a stored response would answer while it is down
        "PUBLIC_RESPONSE_CACHE": "False",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "dialogues_portal.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--config",
            "gunicorn.conf.py",
        ],
        cwd=settings.BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if get(f"{base}/healthz") == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("gunicorn did not start")
    yield base
    server.terminate()
    server.wait(timeout=30)


def start_postgres():
    tmp, port = os.environ["PG_TMP"], os.environ["THROWAWAY_PG_PORT"]
    pg_ctl("start", "-w", "-l", f"{tmp}/log", "-o", f"-k {tmp} -p {port} -c listen_addresses='' -c fsync=off")


@pytest.mark.skipif("PG_TMP" not in os.environ, reason="needs the throwaway cluster of scripts/test.sh")
def test_the_app_recovers_by_itself_after_a_database_restart(app_server):
    assert get(f"{app_server}/api/v1/countries/") == 200  # the worker now holds a persistent connection
    connection.close()

    # A restart between two requests: CONN_HEALTH_CHECKS finds the held connection dead and opens
    # a new one, so even the first request afterwards succeeds.
    pg_ctl("stop", "-m", "fast", "-w")
    start_postgres()
    assert get(f"{app_server}/api/v1/countries/") == 200

    # Requests while the database is down fail (503 from the health check); afterwards they
    # succeed again without restarting the app.
    pg_ctl("stop", "-m", "fast", "-w")
    try:
        assert get(f"{app_server}/healthz") == 503
        assert get(f"{app_server}/api/v1/countries/") == 503  # with Retry-After (database_unavailable.py)
        assert get(f"{app_server}/dialogues/export.csv") == 503  # not a 200 with a header line alone
    finally:
        start_postgres()
    assert get(f"{app_server}/healthz") == 200
    assert get(f"{app_server}/api/v1/countries/") == 200
