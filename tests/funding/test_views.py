"""The public pages of funding: programmes with their calls, projects, drafts, bad input."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DRAFT, make_call, make_country, make_programme, make_project, make_records

pytestmark = pytest.mark.django_db


def test_programme_page_shows_its_calls_with_their_totals(client):
    programme = make_programme(name="European Instrument for Democracy and Human Rights", slug="eidhr")
    make_call(programme=programme, title="EIDHR in Kazakhstan 2010", total_amount_eur=Decimal("670000"), year=2010)
    make_call(programme=programme, title="Draft call", publication_status=DRAFT)
    response = client.get("/en/funding/programmes/eidhr/")
    assert response.status_code == 200
    assert b"EIDHR in Kazakhstan 2010" in response.content
    assert "€670,000".encode() in response.content
    assert b"Draft call" not in response.content


def test_programme_listing_hides_drafts(client):
    make_programme(name="Public programme")
    draft = make_programme(name="Draft programme", publication_status=DRAFT)
    assert b"Draft programme" not in client.get("/en/funding/").content
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_project_detail_shows_its_call_and_unknown_amount(client):
    call = make_call(title="Five projects launched in 2010", total_amount_eur=Decimal("670000"), project_count=5)
    project = make_project(programme=call.programme, call=call)
    response = client.get(project.get_absolute_url())
    assert b"Five projects launched in 2010" in response.content
    assert "€670,000".encode() in response.content
    assert b"unknown" in response.content
    assert b"\xe2\x82\xac0<" not in response.content  # an unknown amount is never shown as €0


def test_project_under_a_draft_programme_or_call_does_not_name_them(client):
    programme = make_programme(name="Secret programme", publication_status=DRAFT)
    call = make_call(programme=programme, title="Secret call", publication_status=DRAFT)
    project = make_project(programme=programme, call=call)
    for url in (project.get_absolute_url(), "/en/funding/projects/"):
        response = client.get(url)
        assert b"Secret programme" not in response.content
        assert b"Secret call" not in response.content


def test_project_filters(client):
    kz = make_country("KZ")
    eidhr = make_programme(slug="eidhr")
    make_project(programme=eidhr, countries=[kz], starts_on=datetime.date(2010, 1, 1), starts_on_precision="month")
    make_project(countries=[kz], eu_contribution_eur=Decimal("50000"), status="ongoing")
    assert client.get("/en/funding/projects/?country=kz&programme=eidhr&year_from=2010").context["paginator"].count == 1
    assert client.get("/en/funding/projects/?min_amount=10000").context["paginator"].count == 1
    assert client.get("/en/funding/projects/?max_amount=100").context["paginator"].count == 0
    assert client.get("/en/funding/projects/?status=ongoing").context["paginator"].count == 1


def test_sorting_by_amount(client):
    make_project(title="Small", eu_contribution_eur=Decimal("10"))
    make_project(title="Large", eu_contribution_eur=Decimal("1000"))
    titles = [p.title for p in client.get("/en/funding/projects/?ordering=-amount").context["object_list"]]
    assert titles == ["Large", "Small"]


@pytest.mark.parametrize(
    "query",
    [
        "min_amount=-5",
        "max_amount=1e400",
        "min_amount=99999999999999999999999999",
        "min_amount=abc",
        "programme=nope",
        "status=%3Cscript%3E",
        "year_to=%27+OR+1%3D1",
        "page=999999",
    ],
)
def test_bad_input_never_gives_a_server_error(client, query):
    make_project()
    assert client.get(f"/en/funding/projects/?{query}").status_code == 200
    assert client.get(f"/en/funding/?{query}").status_code == 200


@pytest.mark.parametrize(
    "path", ["/en/funding/programmes/no-such/", "/en/funding/projects/0/", "/en/funding/projects/9" * 3]
)
def test_unknown_records_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("rows", [1, 55])
def test_project_listing_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    # country, topic, programme and sector options (4), their counts (4), count (1), the page of
    # projects with programme (1), prefetched countries and calls (2); on PostgreSQL the planner's
    # estimate of the listing's size first (1: dialogues/listing.py, ResultCount)
    with django_assert_max_num_queries(13):
        assert client.get("/en/funding/projects/").status_code == 200
    # the same filters again: the form, its counts and the count come from the cache
    with django_assert_max_num_queries(3):
        assert client.get("/en/funding/projects/?page=1").status_code == 200


def test_option_counts_follow_an_edit_at_once(client):
    kazakhstan = make_country(iso_code="KZ", name="Kazakhstan")
    make_project(countries=[kazakhstan])
    assert client.get("/en/funding/projects/").context["option_counts"]["country"] == {"KZ": 1}
    make_project(countries=[kazakhstan])  # the cached form and counts of the listing are stale now
    response = client.get("/en/funding/projects/")
    assert response.context["option_counts"]["country"] == {"KZ": 2}
    assert "Kazakhstan (2)" in response.content.decode()
    assert response.context["paginator"].count == 2


@pytest.mark.parametrize("rows", [1, 55])
def test_programme_listing_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        make_programme()
    # country options (1), their counts (1), count (1), the page with predecessors (1),
    # prefetched countries and sources (2)
    with django_assert_max_num_queries(6):
        assert client.get("/en/funding/").status_code == 200


@pytest.mark.parametrize("rows", [1, 55])
def test_programme_detail_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    _country, _topic, programme = make_records(rows)
    # the page's record (1), then for its content the programme (1) with countries, sources and
    # citations (3), successors (1), calls (1) with places, sources and citations (3), projects (1)
    # with countries, topics and sources (3); served again: the record and the cache
    with django_assert_max_num_queries(14):
        assert client.get(programme.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(programme.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", [1, 55])
def test_project_detail_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    project = make_project(countries=[make_country() for _ in range(rows // 10 + 1)], call=make_call())
    # the page's record (1), then for its content the project with programme, call and
    # organisation (1), countries, topics, sources, places (4), its citations and its call's (2),
    # and the call's country read lazily (1); served again: the record and the cache
    with django_assert_max_num_queries(9):
        assert client.get(project.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(project.get_absolute_url()).status_code == 200


def test_a_published_record_page_shows_an_edit_at_once_and_a_draft_is_never_cached(client, editor):
    project = make_project(title="Prison monitoring")
    assert "Prison monitoring" in client.get(project.get_absolute_url()).content.decode()
    project.title = "Prison monitoring in the regions"
    project.save()  # the page's cached content is stale now
    assert "Prison monitoring in the regions" in client.get(project.get_absolute_url()).content.decode()
    draft = make_project(title="Draft on torture", publication_status=DRAFT)
    client.force_login(editor)
    assert "Draft on torture" in client.get(draft.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(draft.get_absolute_url())
    assert any("funding_project_countries" in query["sql"] for query in queries)  # rendered again
