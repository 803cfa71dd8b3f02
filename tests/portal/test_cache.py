"""The aggregate cache (dialogues/cache.py): figures served from the cache, fresh after any edit,
in local memory and through a real Redis shared by several app servers."""

import datetime
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues.cache import GENERATION_KEY, cached, generation
from dialogues_portal import cache_backend, statistics
from funding.aggregates import known_contribution

from ..factories import make_call, make_country, make_programme, make_project, make_round, make_seminar, make_topic


@pytest.fixture
def funded_country(db):
    country = make_country()
    make_project(countries=[country], eu_contribution_eur=1000)
    return country


def test_known_contribution_is_served_from_the_cache_the_second_time(funded_country, django_assert_num_queries):
    # The scope's cells summed by programme and by year (each if the tables are built), the programmes named.
    with django_assert_num_queries(3):
        first = known_contribution(country=funded_country)
    with django_assert_num_queries(0):
        second = known_contribution(country=funded_country)
    assert first == second
    assert second.total == Decimal(1000)


def test_each_country_has_its_own_cached_contribution(funded_country):
    other = make_country()
    make_project(countries=[other], eu_contribution_eur=50)
    assert known_contribution(country=funded_country).total == Decimal(1000)
    assert known_contribution(country=other).total == Decimal(50)
    assert known_contribution().total == Decimal(1050)


def test_saving_a_project_shows_its_new_amount_at_once(funded_country):
    assert known_contribution().total == Decimal(1000)
    project = funded_country.projects.get()
    project.eu_contribution_eur = 2500
    project.save()
    assert known_contribution().total == Decimal(2500)
    assert known_contribution(country=funded_country).total == Decimal(2500)


def test_a_new_call_shows_in_the_contribution_at_once(funded_country):
    assert known_contribution(country=funded_country).total == Decimal(1000)
    make_call(programme=make_programme(), country=funded_country, year=2012, total_amount_eur=40000)
    assert known_contribution(country=funded_country).total == Decimal(41000)


def test_deleting_a_project_shows_at_once(funded_country):
    assert statistics.key_figures(None)["projects"] == 1
    funded_country.projects.get().delete()
    assert statistics.key_figures(None)["projects"] == 0
    assert known_contribution().total is None


def test_a_new_round_shows_in_the_counts_and_the_activity_chart_at_once(db, django_assert_num_queries):
    country = make_country()
    assert statistics.key_figures(None)["rounds"] == 0
    assert statistics.activity_per_year().years == []
    with django_assert_num_queries(0):
        statistics.key_figures(None), statistics.activity_per_year()
    make_round(country=country, held_on=datetime.date(2015, 5, 1))
    assert statistics.key_figures(None)["rounds"] == 1
    assert statistics.activity_per_year().years == [(2015, 1, 0)]


def test_a_topic_added_to_a_seminar_shows_in_the_matrix_at_once(db, django_assert_num_queries):
    country, topic = make_country(), make_topic()
    seminar = make_seminar(countries=[country])
    assert statistics.topic_attention([country])[(topic.pk, country.pk)] == 0
    with django_assert_num_queries(0):
        statistics.topic_attention([country])
    seminar.topics.add(topic)  # only the many-to-many signal tells of this change
    assert statistics.topic_attention([country])[(topic.pk, country.pk)] == 1


def test_records_outside_the_content_apps_keep_the_cache(funded_country):
    before = generation()
    get_user_model().objects.create_user("visitor-account")
    assert generation() == before


@pytest.mark.parametrize("path", ["/en/", "/en/countries/", "/en/topics/", "country", "topic"])
def test_aggregate_pages_render_their_content_once_until_the_next_edit(funded_country, client, path):
    topic = make_topic(name="Freedom of expression")
    path = {"country": funded_country.get_absolute_url(), "topic": topic.get_absolute_url()}.get(path, path)
    with CaptureQueriesContext(connection) as first:
        client.get(path)
    with CaptureQueriesContext(connection) as second:
        assert client.get(path).status_code == 200
    # left: at most the page's own record (with its prefetches); the content comes from the cache
    assert len(second) <= 3 < len(first)
    before = client.get(path).content.decode()
    make_project(
        title="Judicial reform in the regions",
        countries=[funded_country],
        topics=[topic],
        starts_on=datetime.date(2030, 1, 1),
        starts_on_precision="day",
    )
    after = client.get(path).content.decode()
    assert after != before  # a count, a chart or the timeline shows the new project at once
    if path not in ("/en/countries/", "/en/topics/"):
        assert "Judicial reform in the regions" in after


def test_an_edit_shows_on_the_country_page_at_once(funded_country, client):
    url = funded_country.get_absolute_url()
    assert "A new summary of the dialogue" not in client.get(url).content.decode()
    funded_country.summary = "A new summary of the dialogue"
    funded_country.save()
    assert "A new summary of the dialogue" in client.get(url).content.decode()


def test_each_language_has_its_own_cached_content(funded_country, client):
    assert "Key figures" in client.get("/en/", headers={"accept-language": "en"}).content.decode()
    assert "Ключевые показатели" in client.get("/ru/", headers={"accept-language": "ru"}).content.decode()


def test_a_lost_generation_starts_a_new_one_rather_than_reusing_old_values(funded_country):
    known_contribution()
    old = generation()
    cache.delete(GENERATION_KEY)  # evicted, or the cache server restarted without its data
    assert generation() > old


def _in_threads(*functions):
    results, threads = {}, []
    for index, function in enumerate(functions):
        threads.append(threading.Thread(target=lambda i=index, f=function: results.__setitem__(i, f())))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return [results.get(index) for index in range(len(functions))]


def test_requests_missing_a_value_together_compute_it_once():
    # Right after an edit every request misses the same figures: one computes, the others wait.
    calls, started = [], threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return 42

    def first():
        return cached("slow-figure", slow)

    def second():
        started.wait(5)
        return cached("slow-figure", slow)

    assert _in_threads(first, second, second) == [42, 42, 42]
    assert len(calls) == 1


def test_a_failed_computation_lets_the_waiting_requests_compute_at_once(monkeypatch):
    monkeypatch.setattr("dialogues.cache.COMPUTE_WAIT_SECONDS", 20)
    started, outcome = threading.Event(), {}

    def failing():
        started.set()
        time.sleep(0.2)
        raise RuntimeError("the database went away")

    def first():
        try:
            cached("fragile-figure", failing)
        except RuntimeError as error:
            outcome["error"] = str(error)

    def second():
        started.wait(5)
        began = time.monotonic()
        value = cached("fragile-figure", lambda: 7)
        outcome["waited"] = time.monotonic() - began
        return value

    assert _in_threads(first, second)[1] == 7
    assert outcome["error"] == "the database went away"
    assert outcome["waited"] < 5  # not the 20 s a lost value would be waited for


# --- A real Redis, as several app servers share it.


@pytest.fixture
def redis_url(redis_server):
    return redis_server[0]


@pytest.fixture
def redis_server():
    """A throwaway redis-server on a Unix socket, stopped and removed afterwards: (URL, pid)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (scripts/install_services.sh installs it)")
    folder = Path(tempfile.mkdtemp(prefix="portal-redis."))
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not socket.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"unix://{socket}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    return redis_url


@pytest.fixture
def resilient_redis(settings, redis_server):
    """The production backend on a real Redis, with short timeouts; gives redis-server's pid."""
    url, pid = redis_server
    settings.CACHES = {
        "default": {
            "BACKEND": "dialogues_portal.cache_backend.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    cache_backend._outages.clear()
    yield pid
    cache_backend._outages.clear()


def test_aggregates_are_cached_in_redis_and_a_bump_from_another_server_refreshes_them(
    funded_country, redis_cache, django_assert_num_queries
):
    import redis

    server = redis.Redis.from_url(redis_cache)
    with django_assert_num_queries(3):
        known_contribution()
    with django_assert_num_queries(0):
        assert known_contribution().total == Decimal(1000)
    assert any(key.endswith(b":known-contribution:all") for key in server.keys("*"))

    # Another app server saved a record: it bumped the generation in the shared Redis.
    server.incr(f":1:{GENERATION_KEY}")
    with django_assert_num_queries(3):
        known_contribution()


def test_a_save_through_redis_shows_at_once(funded_country, redis_cache):
    assert known_contribution().total == Decimal(1000)
    project = funded_country.projects.get()
    project.eu_contribution_eur = 7
    project.save()
    assert known_contribution().total == Decimal(7)


# --- A Redis that does not answer: the portal goes on from the database.


@pytest.fixture
def unreachable_redis(settings):
    """The cache as production configures it, pointing at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "dialogues_portal.cache_backend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.PUBLIC_RESPONSE_CACHE = True
    cache_backend._outages.clear()
    yield
    cache_backend._outages.clear()


@pytest.mark.parametrize(
    "url", ["/en/", "/en/funding/projects/", "/en/countries/", "/api/v1/projects/", "/en/search/?q=x"]
)
def test_pages_and_api_lists_answer_from_the_database_without_redis(funded_country, unreachable_redis, client, url):
    funded_country.projects.update(title="Judicial reform in the regions")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200


def test_an_edit_is_saved_and_shown_without_redis(funded_country, unreachable_redis, client):
    project = funded_country.projects.get()
    project.eu_contribution_eur = 2500
    project.save()  # bumps the generation: the cache's failure must not undo the save
    assert known_contribution().total == Decimal(2500)
    assert b"2,500" in client.get(funded_country.get_absolute_url()).content


def test_the_anonymous_rate_limit_lets_requests_through_without_redis(funded_country, unreachable_redis, api):
    assert [api.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 200]


def test_an_unreachable_cache_is_logged_once_a_minute_not_per_request(
    funded_country, unreachable_redis, client, caplog, monkeypatch
):
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0)  # every operation tries Redis again
    with caplog.at_level(logging.WARNING, logger="dialogues_portal.cache_backend"):
        for _ in range(5):
            assert client.get("/en/funding/projects/").status_code == 200
    reports = [record for record in caplog.records if record.name == "dialogues_portal.cache_backend"]
    assert len(reports) == 1 and "does not answer" in reports[0].getMessage()


def test_healthz_reports_an_unreachable_cache_but_stays_up(db, unreachable_redis, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}


def test_a_write_lost_while_redis_was_away_does_not_let_old_values_back(funded_country, resilient_redis):
    # Redis stops answering (a network partition: it keeps its data) while an editor saves.
    assert known_contribution().total == Decimal(1000)
    project = funded_country.projects.get()
    project.eu_contribution_eur = 2500
    os.kill(resilient_redis, signal.SIGSTOP)
    try:
        project.save()  # the generation's bump times out: lost
    finally:
        os.kill(resilient_redis, signal.SIGCONT)
    time.sleep(cache_backend.RETRY_SECONDS)
    # Back with its data, the old generation and the value stored under it: neither is served.
    assert known_contribution().total == Decimal(2500)
