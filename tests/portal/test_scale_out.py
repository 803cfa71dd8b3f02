"""Scale-out on one machine: a real PostgreSQL streaming replica behind dialogues_portal/db_router.py.

The replica is a `pg_basebackup -R` copy of the throwaway primary started by scripts/postgres.sh,
on the primary's port + 100. The tests add it to Django's connections as "replica", the alias that
DATABASE_REPLICA_URL configures in production, and the router in settings picks it.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dialogues.models import Country, Topic
from dialogues_portal.db_router import REPLICA, PinToPrimaryMiddleware, is_pinned, request_scope
from funding.aggregates import known_contribution

from ..factories import make_country, make_project

PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
SLOT = f"test_replica_{os.getpid()}"
# Under pytest-xdist one worker runs the whole module: the replica listens on a fixed port.
pytestmark = pytest.mark.xdist_group("postgres-replica")


def _as_postgres(*command, check=True):
    prefix = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []  # the server refuses root
    subprocess.run([*prefix, *command], check=check, capture_output=True)


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """A hot standby of the throwaway primary, copied after the test database exists, as the
    "replica" connection that DATABASE_REPLICA_URL defines in production. Module-scoped, so the alias
    exists before a test's database set-up checks the aliases it may use."""
    primary_folder = os.environ.get("PG_TMP")
    if not primary_folder:
        pytest.skip("needs the throwaway PostgreSQL of scripts/postgres.sh (PG_TMP)")
    with django_db_blocker.unblock():
        if connections["default"].vendor != "postgresql":
            pytest.skip("needs PostgreSQL")
    primary_port = os.environ.get("THROWAWAY_PG_PORT", "54329")
    port = str(int(primary_port) + 100)
    folder = tempfile.mkdtemp(prefix="portal-pg-replica.")
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
    data = os.path.join(folder, "data")
    started = slotted = False
    with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARK_TABLE} (n bigserial PRIMARY KEY)")
    try:
        # -R writes standby.signal and primary_conninfo: the copy starts as a streaming replica.
        # -C -S: through a replication slot, so that the primary keeps the WAL the replica has not
        # received yet (the other test workers write plenty: without it the primary recycled the
        # segment the replica was to start from, and it never caught up)
        _as_postgres(
            f"{PG_BIN}/pg_basebackup", "-h", primary_folder, "-p", primary_port, "-U", "postgres",
            "-D", data, "-R", "-X", "stream", "-c", "fast", "-C", "-S", SLOT,
        )  # fmt: skip
        slotted = True
        _as_postgres(
            f"{PG_BIN}/pg_ctl", "-D", data, "-l", os.path.join(folder, "log"), "-w",
            "-o", f"-k {folder} -p {port} -c listen_addresses='' -c hot_standby=on", "start",
        )  # fmt: skip
        started = True
        primary = connections["default"].settings_dict
        # a mirror, as in settings: the test runner neither creates nor flushes it
        connections.settings[REPLICA] = {**primary, "HOST": folder, "PORT": port, "TEST": {"MIRROR": "default"}}
        yield connections[REPLICA]
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        if started:
            _as_postgres(f"{PG_BIN}/pg_ctl", "-D", data, "stop", "-m", "fast", check=False)
        if slotted:  # else the primary keeps every WAL segment from here on for a replica gone
            _drop_slot(django_db_blocker)
        shutil.rmtree(folder, ignore_errors=True)


def _drop_slot(django_db_blocker):
    """Once its replica has gone: the primary's sender may take a moment to let go of it."""
    deadline = time.monotonic() + 10
    with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                " WHERE slot_name = %s AND NOT active",
                [SLOT],
            )
            cursor.execute("SELECT count(*) FROM pg_replication_slots WHERE slot_name = %s", [SLOT])
            if cursor.fetchone()[0] == 0 or time.monotonic() > deadline:
                return
            time.sleep(0.1)


def _in_recovery(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


# Outside Django's models, so no flush empties it; made before the base backup, so the replica has it.
MARK_TABLE = "test_replication_mark"


def _wait_for_replication():
    """Commit a mark on the primary and poll the replica until it shows it: commits replay in
    order, so every earlier write is there too. (Comparing WAL positions is not enough: an insert
    position just past a page header is never reached by replay until more WAL is written.)"""
    with connections["default"].cursor() as cursor:
        cursor.execute(f"INSERT INTO {MARK_TABLE} DEFAULT VALUES RETURNING n")
        mark = cursor.fetchone()[0]
    deadline = time.monotonic() + 60  # replay may wait behind other workers' activity
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {MARK_TABLE} WHERE n = %s)", [mark])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the replica did not replay a commit within 60 s:\n{_replica_log()}")
            time.sleep(0.05)


def _replica_log():
    folder = connections.settings[REPLICA]["HOST"]
    try:
        with open(os.path.join(folder, "log")) as log:
            return "".join(log.readlines()[-20:])
    except OSError as error:
        return f"(no replica log: {error})"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])  # committed rows replicate
def test_reads_go_to_the_replica_and_writes_to_the_primary(replica):
    with request_scope():
        read_alias = Country.objects.all().db
        assert read_alias == REPLICA
        assert _in_recovery(read_alias) is True  # a standby: it answers reads, refuses writes

        country = make_country(iso_code="KZ", name="Kazakhstan")
        assert country._state.db == "default"
        assert _in_recovery(country._state.db) is False

    _wait_for_replication()
    with request_scope(), CaptureQueriesContext(replica) as on_replica:
        assert Country.objects.get(pk=country.pk).name == "Kazakhstan"  # written there, read here
    assert len(on_replica) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_request_reads_its_own_write_from_the_primary(replica):
    seen = {}

    def view(request):
        seen["before"] = Country.objects.all().db
        topic = Topic.objects.create(name="Freedom of expression", slug="freedom-of-expression")
        # the replica may not have it yet; the primary does
        seen["after"] = Topic.objects.filter(pk=topic.pk).db
        seen["found"] = Topic.objects.filter(pk=topic.pk).exists()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    PinToPrimaryMiddleware(view)(request)

    assert seen == {"before": REPLICA, "after": "default", "found": True}
    with request_scope():
        assert not is_pinned()  # the next request starts on the replica again
        assert Topic.objects.all().db == REPLICA


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_figures_for_the_shared_cache_are_computed_from_the_primary(replica):
    # A lagging replica would otherwise store the figure as it was before an edit, under the
    # generation that edit started, for every app server to serve.
    with request_scope(), transaction.atomic():  # as an editor's save: the contribution's cells follow it
        country = make_country()
        make_project(countries=[country], eu_contribution_eur=1000)
    _wait_for_replication()
    with (
        request_scope(),
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(replica) as on_replica,
    ):
        assert known_contribution(country=country).total == 1000
        assert Country.objects.filter(pk=country.pk).exists()  # an ordinary read, for contrast
    assert len(on_primary) == 3  # the contribution's sums and its programmes (funding/aggregates.py), on the primary
    assert len(on_replica) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_visitors_pages_stored_for_the_next_visitors_are_rendered_from_the_primary(replica, client, settings):
    # As the shared cache's figures: a lagging replica must not store the page as it was before
    # an edit; the copies then served cost no database at all.
    settings.PUBLIC_RESPONSE_CACHE = True
    make_project(title="Prison monitoring")
    _wait_for_replication()
    for url in ("/en/funding/projects/", "/api/v1/projects/"):
        with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(replica) as on_replica:
            assert "Prison monitoring" in client.get(url).content.decode()
        assert (len(on_primary) > 0, len(on_replica)) == (True, 0), url
        with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(replica) as on_replica:
            assert client.get(url)["X-Portal-Cache"] == "hit"
        assert (len(on_primary), len(on_replica)) == (0, 0), url


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_visitors_pages_are_read_from_the_replica_and_editors_from_the_primary(replica, client, editor):
    default = connections["default"]
    make_project(title="Prison monitoring")
    _wait_for_replication()
    client.get("/en/funding/projects/")  # computes the listing's form and counts for the cache, from the primary
    with CaptureQueriesContext(default) as on_primary, CaptureQueriesContext(replica) as on_replica:
        assert "Prison monitoring" in client.get("/en/funding/projects/").content.decode()
    assert len(on_replica) > 0  # the page of rows
    assert len(on_primary) == 0  # a visitor without a session costs the primary nothing

    client.force_login(editor)
    with CaptureQueriesContext(default) as on_primary, CaptureQueriesContext(replica) as on_replica:
        assert client.get("/en/funding/projects/").status_code == 200
        assert client.get("/admin/").status_code == 200
    assert len(on_primary) > 0
    assert len(on_replica) == 0  # an editor always sees their own changes, whatever the lag


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_editors_export_is_read_from_the_primary_while_it_streams(replica, client, editor, fmt):
    # The rows are read while the body is sent, after the request's middleware has returned.
    make_project(title="Prison monitoring")
    _wait_for_replication()
    client.force_login(editor)
    with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(replica) as on_replica:
        response = client.get(f"/en/funding/projects/export.{fmt}")
        body = b"".join(response.streaming_content).decode()
    assert "Prison monitoring" in body
    assert len(on_replica) == 0
    assert any("funding_project" in query["sql"] for query in on_primary)

    client.logout()
    with CaptureQueriesContext(replica) as on_replica:
        assert (
            "Prison monitoring" in b"".join(client.get(f"/en/funding/projects/export.{fmt}").streaming_content).decode()
        )
    assert any("funding_project" in query["sql"] for query in on_replica)  # a visitor's, from the replica


def test_migrations_run_on_the_primary_only():
    from dialogues_portal.db_router import PrimaryReplicaRouter

    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "funding") is True
    assert router.allow_migrate(REPLICA, "funding") is False


# --- Stateless app servers: settings read in a fresh process, as each server starts.

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'replica': s.DATABASES.get('replica', {}).get('HOST'),"
    "'mirror': s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'),"
    "'cache': s.CACHES['default']['BACKEND'], 'sessions': s.SESSION_ENGINE,"
    "'import_storage': s.IMPORT_EXPORT_TMP_STORAGE_CLASS}))"
)


def _settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL")}
    clean.update(env, DJANGO_SETTINGS_MODULE="dialogues_portal.settings")
    return subprocess.run(
        [sys.executable, "-c", SHOW], capture_output=True, text=True, env=clean, cwd=settings.BASE_DIR, timeout=60
    )


def test_the_replica_is_configured_from_database_replica_url():
    result = _settings_with(
        DATABASE_URL="postgres://portal@primary.internal/portal",
        DATABASE_REPLICA_URL="postgres://portal@replica.internal/portal",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "replica": "replica.internal",
        "mirror": "default",
        "cache": "dialogues_portal.cache_backend.ResilientRedisCache",  # Redis, never a 500 when it is down
        # nothing kept on one server's disk or in one process: any server can answer any request
        "sessions": "django.contrib.sessions.backends.db",
        "import_storage": "dialogues_portal.import_storage.DatabaseStorage",  # shared, and up without Redis
    }


def test_a_malformed_replica_url_fails_loudly_naming_the_variable():
    result = _settings_with(DATABASE_REPLICA_URL="nonsense")
    assert result.returncode != 0 and "DATABASE_REPLICA_URL" in result.stderr


def test_without_a_replica_every_read_goes_to_the_primary(db):
    assert REPLICA not in connections
    with request_scope():
        assert Country.objects.all().db == "default"
