import datetime
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import *

pytestmark = pytest.mark.django_db


def build(n):
    country = make_country("KZ", name="Kazakhstan", slug="kazakhstan")
    topic = make_topic(slug="t1")
    src = make_source(url="https://example.org/s")
    rounds = [
        make_round(
            country=country,
            held_on=datetime.date(2010 + i, 1, 1),
            held_on_precision="day",
            topics=[topic],
            sources=[src],
        )
        for i in range(3)
    ]
    for i in range(n):
        c = make_concern(country=country, topics=[topic], sources=[src])
        for r in rounds:
            make_entry(c, r, sources=[src])
        prog = make_programme()
        p = make_project(programme=prog, countries=[country], topics=[topic], eu_contribution_eur=100)
        p.concerns.add(c)
    return country, c


@pytest.mark.parametrize("n", [1, 20])
def test_q(client, n):
    country, c = build(n)
    for path in [
        "/concerns/",
        "/concerns/?country=KZ&topic=t1&status=raised&stagnant=true&year_from=2010&year_to=2013&as_of=2015-01-01&q=Concern",
        f"/concerns/{c.slug}/",
        f"/concerns/{c.slug}/?as_of=2011-01-01",
        "/countries/kazakhstan/concerns/",
        "/matrix/",
        "/matrix/export.csv",
        "/feeds/status-changes/",
        f"/concerns/{c.slug}/feed/",
        "/countries/kazakhstan/concerns/feed/",
        "/api/v1/concerns/",
        f"/api/v1/concerns/{c.slug}/",
        "/api/v1/matrix/",
        "/api/v1/concerns/?country=KZ&topic=t1&status=raised&stagnant=true&year_from=2010&as_of=2015-01-01",
    ]:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(path)
        print(n, path, r.status_code, len(ctx.captured_queries))
        if n == 1 and not path.startswith("/concerns/?") and path not in ("/concerns/", "/api/v1/concerns/"):
            for q in ctx.captured_queries:
                print("   ", q["sql"][:230])
