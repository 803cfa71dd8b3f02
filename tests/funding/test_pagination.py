"""Large listings: keyset pages (HTML `?after=`, API `cursor`), capped counts, bad cursors."""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from dialogues import listing
from dialogues.listing import decode_keyset, encode_keyset
from tests.factories import make_country, make_programme, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttling():
    cache.clear()


@pytest.fixture
def projects():
    """45 projects: 40 dated (two share each date), then 5 undated, which the order puts last."""
    country, programme = make_country("KZ"), make_programme()
    made = []
    for i in range(40):
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=i // 2)
        made.append(make_project(programme=programme, countries=[country], starts_on=day, starts_on_precision="day"))
    made += [make_project(programme=programme, countries=[country]) for _ in range(5)]
    return made


def in_listing_order(projects):
    dated = sorted((p for p in projects if p.starts_on), key=lambda p: (p.starts_on, p.pk), reverse=True)
    return [p.pk for p in dated] + sorted((p.pk for p in projects if not p.starts_on), reverse=True)


def test_cursor_round_trip_and_garbage():
    assert decode_keyset(encode_keyset((datetime.date(2010, 5, 1), 12))) == (datetime.date(2010, 5, 1), 12)
    assert decode_keyset(encode_keyset((None, 7))) == (None, 7)
    for garbage in ["", "x", "!!!", "bm90LWEta2V5", "A" * 100, encode_keyset((None, 1))[:-3] + "@@"]:
        assert decode_keyset(garbage) is None


def test_api_cursor_pages_walk_every_project_once_and_back(projects):
    api, expected = APIClient(), in_listing_order(projects)
    seen, url, pages = [], "/api/v1/projects/?page_size=10", []
    while url:
        body = api.get(url).json()
        assert "count" not in body
        pages.append((url, [p["id"] for p in body["results"]], body["previous"]))
        seen += pages[-1][1]
        url = body["next"]
    assert seen == expected  # undated rows last, none skipped or repeated across the boundary
    assert pages[0][2] is None
    for (_url, ids, _previous), (_next_url, _next_ids, previous) in zip(pages, pages[1:], strict=False):
        assert [p["id"] for p in api.get(previous).json()["results"]] == ids


def test_api_page_numbers_still_count(projects):
    body = APIClient().get("/api/v1/projects/?page=2&page_size=10").json()
    assert body["count"] == 45
    assert "page=3" in body["next"]


@pytest.mark.parametrize("cursor", ["abc", "n!!", "nAAAA", "p" + "A" * 80, "x" + encode_keyset((None, 1))])
def test_api_bad_cursor_is_a_400(projects, cursor):
    response = APIClient().get(f"/api/v1/projects/?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_api_cursor_keeps_the_filters(projects):
    other = make_project(countries=[make_country("TJ")], starts_on=datetime.date(1999, 1, 1), starts_on_precision="day")
    body = APIClient().get("/api/v1/projects/?country=KZ&page_size=44").json()
    last = APIClient().get(body["next"]).json()
    assert "country=KZ" in body["next"]
    assert other.pk not in [p["id"] for p in body["results"] + last["results"]]
    assert len(body["results"] + last["results"]) == 45


def test_html_keyset_pages_follow_the_next_links(client, projects, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 10)  # a "large" listing: keyset links after the cap
    expected, seen = in_listing_order(projects), []
    response = client.get("/en/funding/projects/")
    assert response.context["result_count"].capped
    assert b"more than 10 results" in response.content
    while True:
        seen += [p.pk for p in response.context["object_list"]]
        following = response.context["pagination_links"].get("next")
        if not following:
            break
        assert "after=" in following
        response = client.get(f"/en/funding/projects/{following}")
        assert response.status_code == 200
        assert response.context["pagination_links"]["first"] == "/en/funding/projects/"
    assert seen == expected


@pytest.mark.parametrize("after", ["garbage", "%00", "A" * 200, encode_keyset((None, 2**70))])
def test_html_bad_cursor_shows_the_first_page(client, projects, after):
    response = client.get(f"/en/funding/projects/?after={after}")
    assert response.status_code == 200
    assert [p.pk for p in response.context["object_list"]] == in_listing_order(projects)[:20]


def test_html_small_listing_is_counted_exactly(client, projects):
    response = client.get("/en/funding/projects/?country=KZ")
    assert response.context["result_count"].exact
    assert response.context["paginator"].count == 45
    assert b"45 results" in response.content


@pytest.mark.parametrize("rows", [1, 30])
def test_html_keyset_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    country, programme = make_country("KZ"), make_programme()
    made = [
        make_project(
            programme=programme, countries=[country], starts_on=datetime.date(2001, 1, 1), starts_on_precision="day"
        )
        for _ in range(rows)
    ]
    cursor = encode_keyset((datetime.date(2001, 1, 1), made[-1].pk + 1))
    # options (3), ids after the cursor (1), the page (1), countries, topics, sources (3); no count
    with django_assert_max_num_queries(8):
        assert client.get(f"/en/funding/projects/?after={cursor}").status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_api_cursor_page_makes_a_fixed_number_of_queries(django_assert_max_num_queries, rows):
    country, programme = make_country("KZ"), make_programme()
    made = [
        make_project(
            programme=programme, countries=[country], starts_on=datetime.date(2001, 1, 1), starts_on_precision="day"
        )
        for _ in range(rows)
    ]
    cursor = "n" + encode_keyset((datetime.date(2001, 1, 1), made[-1].pk + 1))
    # ids after the cursor (1), the page (1), countries, topics, sources (3); no count
    with django_assert_max_num_queries(5):
        assert APIClient().get(f"/api/v1/projects/?cursor={cursor}").status_code == 200
