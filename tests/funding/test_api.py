"""The API for programmes, calls and projects: amounts, filters, queries, writes."""

import datetime
from decimal import Decimal

import pytest

from funding.models import Call, Project
from tests.api_helpers import as_user, results
from tests.factories import (
    DRAFT,
    make_call,
    make_country,
    make_organisation,
    make_place,
    make_programme,
    make_project,
    make_source,
    make_topic,
)


@pytest.mark.django_db
def test_every_eidhr_project_in_kazakhstan_with_amount_and_sources(api):
    eidhr, other = make_programme(slug="eidhr", name="EIDHR"), make_programme(slug="dci")
    kz, kg = make_country("KZ"), make_country("KG")
    source = make_source(title="EU Delegation press release")
    wanted = make_project(programme=eidhr, countries=[kz], eu_contribution_eur=Decimal("150000"), sources=[source])
    make_project(programme=eidhr, countries=[kg])
    make_project(programme=other, countries=[kz])
    make_project(programme=eidhr, countries=[kz], publication_status=DRAFT)
    [project] = results(api.get("/api/v1/projects/?country=KZ&programme=eidhr"))
    assert project["id"] == wanted.pk
    assert project["eu_contribution_eur"] == "150000.00"
    assert project["programme"]["slug"] == "eidhr"
    assert project["programme"]["url"] == "http://testserver/api/v1/programmes/eidhr/"
    assert [s["name"] for s in project["sources"]] == ["EU Delegation press release"]


@pytest.mark.django_db
def test_an_unknown_amount_is_null_never_zero(api):
    project = make_project(eu_contribution_eur=None)
    assert api.get(f"/api/v1/projects/{project.pk}/").json()["eu_contribution_eur"] is None


@pytest.mark.django_db
def test_project_detail_shows_organisation_places_and_dates(api):
    kz = make_country("KZ")
    project = make_project(
        countries=[kz],
        implementing_organisation=make_organisation(name="Bureau"),
        starts_on=datetime.date(2010, 1, 1),
        starts_on_precision="year",
        ends_on=datetime.date(2011, 6, 30),
        ends_on_precision="day",
    )
    project.places.set([make_place(kz, name="Almaty")])
    body = api.get(f"/api/v1/projects/{project.pk}/").json()
    assert body["implementing_organisation"]["name"] == "Bureau"
    assert body["places"] == ["Almaty (KZ)"]
    assert body["starts"] == {"date": "2010", "precision": "year"}
    assert body["ends"] == {"date": "2011-06-30", "precision": "day"}


@pytest.mark.django_db
def test_a_draft_programme_of_a_project_reads_as_null_for_the_public(api):
    project = make_project(programme=make_programme(publication_status=DRAFT))
    assert api.get(f"/api/v1/projects/{project.pk}/").json()["programme"] is None


@pytest.mark.django_db
def test_programme_by_slug_in_any_case(api):
    make_programme(slug="eidhr", predecessor=make_programme(slug="initiative"))
    body = api.get("/api/v1/programmes/EIDHR/").json()
    assert body["slug"] == "eidhr"
    assert body["predecessor"]["slug"] == "initiative"
    assert api.get("/api/v1/programmes/nope/").status_code == 404


@pytest.mark.django_db
def test_call_shows_total_and_places(api):
    kz = make_country("KZ")
    call = make_call(country=kz, year=2010, total_amount_eur=Decimal("670000"))
    call.places.set([make_place(kz, name="Atyrau")])
    body = api.get(f"/api/v1/calls/{call.pk}/").json()
    assert body["total_amount_eur"] == "670000.00"
    assert body["places"] == ["Atyrau (KZ)"]
    assert body["country"]["code"] == "KZ"


# --- Filters -------------------------------------------------------------------------------------


@pytest.fixture
def projects(db):
    eidhr, dci = make_programme(slug="eidhr"), make_programme(slug="dci")
    kz, kg = make_country("KZ"), make_country("KG")
    torture = make_topic(slug="torture")
    return {
        "small": make_project(
            programme=eidhr,
            countries=[kz],
            eu_contribution_eur=Decimal("50000"),
            starts_on=datetime.date(2010, 1, 1),
            starts_on_precision="year",
            status="completed",
            title="Prison monitoring",
        ),
        "large": make_project(
            programme=dci,
            countries=[kg],
            topics=[torture],
            eu_contribution_eur=Decimal("900000"),
            starts_on=datetime.date(2015, 3, 1),
            starts_on_precision="month",
            status="ongoing",
            title="Legal aid",
        ),
        "unknown": make_project(programme=eidhr, countries=[kz, kg], title="Journalism school"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KZ", {"small", "unknown"}),
        ("country=kg", {"large", "unknown"}),
        ("country=KZ&country=KG", {"small", "large", "unknown"}),
        ("programme=eidhr", {"small", "unknown"}),
        ("programme=EIDHR,dci", {"small", "large", "unknown"}),
        ("topic=torture", {"large"}),
        ("year_from=2012", {"large"}),
        ("year_to=2012", {"small"}),
        ("status=ongoing", {"large"}),
        ("min_amount=100000", {"large"}),
        ("max_amount=100000", {"small"}),
        ("min_amount=10000.50&max_amount=1000000", {"small", "large"}),
        ("q=journalism", {"unknown"}),
        ("country=KZ&programme=eidhr&status=completed", {"small"}),
    ],
)
def test_project_filters(api, projects, query, expected):
    found = {p["id"] for p in results(api.get(f"/api/v1/projects/?{query}"))}
    assert found == {projects[name].pk for name in expected}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("amount", ["small", "large", "unknown"]),
        ("-amount", ["unknown", "large", "small"]),
        ("title", ["unknown", "large", "small"]),
        ("start", ["small", "large", "unknown"]),
    ],
)
def test_project_ordering(api, projects, ordering, expected):
    found = [p["id"] for p in results(api.get(f"/api/v1/projects/?ordering={ordering}"))]
    known = [projects[name].pk for name in expected if name != "unknown"]
    # NULLs sort first or last depending on the database; the known amounts keep their order.
    assert [pk for pk in found if pk != projects["unknown"].pk] == known


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "programme=no-such-programme",
        "topic=nope",
        "year_from=1900",
        "year_to=twenty",
        "status=cancelled",
        "min_amount=-1",
        "max_amount=abc",
        "min_amount=1e400",
        "ordering=summary",
        "country=K%00",
        "programme=eidhr%00",
    ],
)
def test_an_invalid_project_filter_is_a_400_never_the_whole_table(api, projects, query):
    response = api.get(f"/api/v1/projects/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


@pytest.mark.django_db
def test_call_and_programme_filters(api):
    kz = make_country("KZ")
    eidhr = make_programme(slug="eidhr", scope="worldwide")
    regional = make_programme(slug="csf", scope="regional")
    regional.countries.set([kz])
    call = make_call(programme=eidhr, country=kz, year=2010, total_amount_eur=Decimal("670000"))
    make_call(programme=regional, year=2020)
    call_ids = lambda query: {c["id"] for c in results(api.get(f"/api/v1/calls/?{query}"))}  # noqa: E731
    assert call_ids("country=KZ") == {call.pk}
    assert call_ids("programme=eidhr") == {call.pk}
    assert call_ids("year_to=2015") == {call.pk}
    assert call_ids("year_from=2015") == {c.pk for c in Call.objects.filter(year=2020)}
    assert call_ids("min_amount=600000") == {call.pk}
    assert call_ids("max_amount=100") == set()
    assert api.get("/api/v1/calls/?year_from=abc").status_code == 400
    slugs = lambda query: {p["slug"] for p in results(api.get(f"/api/v1/programmes/?{query}"))}  # noqa: E731
    assert slugs("country=KZ") == {"csf"}
    assert slugs("scope=worldwide") == {"eidhr"}
    assert api.get("/api/v1/programmes/?scope=galactic").status_code == 400


# --- Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 55])
def test_project_list_queries(api, django_assert_max_num_queries, db, rows):
    programme, kz, topic, source = make_programme(slug="eidhr"), make_country("KZ"), make_topic(), make_source()
    call = make_call(programme=programme)
    for _ in range(rows):
        make_project(programme=programme, call=call, countries=[kz], topics=[topic], sources=[source])
    # 1 the programme slugs asked for, 2 the country codes asked for (the filters check them),
    # 3 COUNT, 4 the projects with programme and call (joins), 5 countries, 6 topics, 7 sources.
    with django_assert_max_num_queries(7):
        assert len(results(api.get("/api/v1/projects/?page_size=100&programme=eidhr&country=KZ"))) == rows


@pytest.mark.parametrize("rows", [1, 55])
def test_call_list_queries(api, django_assert_max_num_queries, db, rows):
    programme, kz, source = make_programme(), make_country("KZ"), make_source()
    place = make_place(kz)
    for _ in range(rows):
        make_call(programme=programme, country=kz, sources=[source]).places.set([place])
    # 1 COUNT, 2 the calls with programme and country (joins), 3 places with their country, 4 sources.
    with django_assert_max_num_queries(4):
        assert len(results(api.get("/api/v1/calls/?page_size=100"))) == rows


@pytest.mark.parametrize("rows", [1, 55])
def test_programme_list_queries(api, django_assert_max_num_queries, db, rows):
    kz, source = make_country("KZ"), make_source()
    predecessor = make_programme(sources=[source])
    for _ in range(rows - 1):
        make_programme(predecessor=predecessor, sources=[source]).countries.set([kz])
    # 1 COUNT, 2 the programmes with their predecessor (a join), 3 countries, 4 sources.
    with django_assert_max_num_queries(4):
        assert len(results(api.get("/api/v1/programmes/?page_size=100"))) == rows


@pytest.mark.django_db
def test_project_detail_queries(api, django_assert_max_num_queries):
    project = make_project(implementing_organisation=make_organisation())
    # 1 the project with programme, call, organisation, 2 countries, 3 topics, 4 sources, 5 places,
    # 6 citations of its values.
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/projects/{project.pk}/").status_code == 200


# --- Writing -------------------------------------------------------------------------------------


def new_project(**fields):
    return {"title": "Legal aid for detainees", "programme": "eidhr", "countries": ["KZ"], **fields}


@pytest.mark.django_db
def test_an_editor_creates_a_project_with_an_amount(editor):
    make_programme(slug="eidhr")
    make_country("KZ")
    payload = new_project(eu_contribution_eur="150000.50", starts={"date": "2010-01"}, status="ongoing")
    response = as_user(editor).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["eu_contribution_eur"] == "150000.50"
    assert body["starts"] == {"date": "2010-01", "precision": "month"}
    assert Project.objects.get().eu_contribution_eur == Decimal("150000.50")


@pytest.mark.django_db
def test_anonymous_and_unpermitted_users_may_not_create_projects(api, staff_without_permissions):
    make_programme(slug="eidhr")
    make_country("KZ")
    assert api.post("/api/v1/projects/", new_project(), format="json").status_code == 401
    assert as_user(staff_without_permissions).post("/api/v1/projects/", new_project(), format="json").status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (new_project(eu_contribution_eur="-5"), "eu_contribution_eur"),
        (new_project(eu_contribution_eur="abc"), "eu_contribution_eur"),
        (new_project(eu_contribution_eur="1e20"), "eu_contribution_eur"),
        (new_project(programme="nope"), "programme"),
        (new_project(countries=[]), "countries"),
        (new_project(status="stalled"), "status"),
        (new_project(call=999999), "call"),
        (new_project(duration_months=0), "duration_months"),
    ],
)
def test_an_invalid_project_is_a_400_and_writes_nothing(editor, payload, field):
    make_programme(slug="eidhr")
    make_country("KZ")
    response = as_user(editor).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_project_ending_before_it_starts_is_refused_like_in_the_admin(editor):
    make_programme(slug="eidhr")
    make_country("KZ")
    payload = new_project(starts={"date": "2012"}, ends={"date": "2010-05"})
    response = as_user(editor).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_publisher_publishes_a_call_with_a_source_and_an_editor_may_not(editor, publisher):
    call = make_call(publication_status=DRAFT, sources=[make_source()])
    url = f"/api/v1/calls/{call.pk}/"
    assert as_user(editor).patch(url, {"publication_status": "published"}, format="json").status_code == 403
    assert as_user(publisher).patch(url, {"publication_status": "published"}, format="json").status_code == 200
    call.refresh_from_db()
    assert call.is_published


@pytest.mark.django_db
def test_removing_the_last_source_of_a_published_record_is_refused(publisher):
    project = make_project()
    response = as_user(publisher).patch(f"/api/v1/projects/{project.pk}/", {"sources": []}, format="json")
    assert response.status_code == 400
    assert "sources" in response.json()
    assert project.sources.exists()
