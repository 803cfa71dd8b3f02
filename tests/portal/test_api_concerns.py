"""The follow-up tracker in the API: /api/v1/concerns/ with its history and derived state, the
known EU contribution of a concern's projects, and the country x topic matrix."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from tests.api_helpers import results
from tests.factories import (
    DRAFT,
    day,
    held,
    make_call,
    make_concern,
    make_country,
    make_entry,
    make_programme,
    make_project,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db


def slugs(api, query=""):
    return sorted(row["slug"] for row in results(api.get(f"/api/v1/concerns/?{query}")))


# --- The list ------------------------------------------------------------------------------------


def test_list_gives_each_concerns_derived_state(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="journalists", title="Detained journalists")
    for year in (2010, 2011, 2012):
        make_entry(concern, held(kazakhstan, year), status="commitment", asserted_by="partner_government")
    (row,) = results(api.get("/api/v1/concerns/"))
    assert row["slug"] == "journalists"
    assert row["url"].endswith("/api/v1/concerns/journalists/")
    assert row["web_url"].endswith("/en/concerns/journalists/")
    assert row["country"]["code"] == "KZ"
    assert (row["current_status"], row["current_status_asserted_by"]) == ("commitment", "partner_government")
    assert (row["raised_rounds"], row["raised_since"], row["stagnant"], row["as_of"]) == (3, 2010, True, None)


def test_list_never_has_drafts_nor_a_draft_countrys_concerns(api, kazakhstan):
    make_concern(country=kazakhstan, slug="public")
    make_concern(country=kazakhstan, slug="draft", publication_status=DRAFT)
    make_concern(country=make_country("XX", publication_status=DRAFT), slug="of-a-draft-country")
    assert slugs(api) == ["public"]
    assert api.get("/api/v1/concerns/draft/").status_code == 404
    assert api.get("/api/v1/concerns/of-a-draft-country/").status_code == 404


def test_list_filters_by_country_topic_status_and_years(api, kazakhstan, kyrgyzstan):
    media = make_topic(slug="media-freedom")
    kz = make_concern(country=kazakhstan, slug="kz-media", title="Accreditation of foreign media", topics=[media])
    make_entry(kz, held(kazakhstan, 2010), status="raised")
    make_entry(kz, held(kazakhstan, 2014), status="progress")
    kg = make_concern(country=kyrgyzstan, slug="kg-other")
    make_entry(kg, held(kyrgyzstan, 2012), status="raised")
    assert slugs(api, "country=kz") == ["kz-media"]
    assert slugs(api, "topic=media-freedom") == ["kz-media"]
    assert slugs(api, "status=raised") == ["kg-other"]
    assert slugs(api, "status=progress&country=KG") == []
    assert slugs(api, "year_from=2013") == ["kz-media"]
    assert slugs(api, "year_to=2011") == ["kz-media"]
    assert slugs(api, "q=accreditation") == ["kz-media"]


def test_list_as_of_a_date_reads_the_state_then(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="resolved-in-2013")
    for year in (2010, 2011, 2012):
        make_entry(concern, held(kazakhstan, year), status="raised")
    make_entry(concern, held(kazakhstan, 2013), status="resolved")
    (now,) = results(api.get("/api/v1/concerns/"))
    assert (now["current_status"], now["stagnant"]) == ("resolved", False)
    (then,) = results(api.get("/api/v1/concerns/?as_of=2012-12-31"))
    assert (then["current_status"], then["stagnant"], then["raised_rounds"], then["as_of"]) == (
        "raised",
        True,
        3,
        "2012-12-31",
    )
    assert slugs(api, "stagnant=true&as_of=2012-12-31") == ["resolved-in-2013"]
    assert slugs(api, "stagnant=true") == []
    assert slugs(api, "status=raised&as_of=2012-12-31") == ["resolved-in-2013"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("as_of=2021-13-45", "as_of"),
        ("as_of=soon", "as_of"),
        ("status=bogus", "status"),
        ("year_from=abc", "year_from"),
        ("year_to=99999", "year_to"),
        ("country=XX", "country"),
        ("topic=no-such-topic", "topic"),
        ("ordering=nonsense", "ordering"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(api, kazakhstan, query, parameter):
    make_concern(country=kazakhstan, slug="one")
    response = api.get(f"/api/v1/concerns/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_a_bad_as_of_on_a_concern_is_a_400_naming_it(api, kazakhstan):
    make_concern(country=kazakhstan, slug="one")
    response = api.get("/api/v1/concerns/one/?as_of=2021-13-45")
    assert response.status_code == 400
    assert list(response.json()) == ["as_of"]


# --- One concern: its history ----------------------------------------------------------------------


def test_history_entries_with_date_precision_occasion_and_sources(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="story")
    readout = make_source(title="EEAS readout", url="https://example.org/readout")
    memo = make_source(title="Unpublished memo", publication_status=DRAFT)
    dialogue_round = held(kazakhstan, 2019, sequence_number=11, number_basis="stated")
    make_entry(concern, dialogue_round, status="raised", statement="Two cases raised.", sources=[readout, memo])
    make_entry(
        concern,
        stated_on=day(2020, 2, 17),
        stated_on_precision="month",
        occasion="NGO briefing",
        status="commitment",
        asserted_by="partner_government",
    )
    make_entry(concern, held(kazakhstan, 2021), status="resolved", publication_status=DRAFT)
    make_entry(concern, held(kazakhstan, 2022, publication_status=DRAFT), status="dropped")
    body = api.get("/api/v1/concerns/story/").json()
    first, second = body["history"]
    assert first["date"] == {"date": "2019-06-15", "precision": "day"}
    assert (first["status"], first["asserted_by"], first["statement"]) == ("raised", "eu", "Two cases raised.")
    assert first["occasion"]["kind"] == "round"
    assert first["occasion"]["dialogue_round"]["id"] == dialogue_round.pk
    assert first["occasion"]["dialogue_round"]["series"] == "dialogue"
    assert first["occasion"]["dialogue_round"]["sequence_number"] == 11
    assert [(s["title"], s["page"]) for s in first["sources"]] == [("EEAS readout", "https://example.org/readout")]
    assert second["date"] == {"date": "2020-02", "precision": "month"}
    assert second["occasion"] == {"kind": "statement", "title": "NGO briefing", "dialogue_round": None}
    assert body["current_status"] == "commitment"


def test_history_as_of_a_date(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="story")
    make_entry(concern, held(kazakhstan, 2010), status="raised")
    make_entry(concern, held(kazakhstan, 2014), status="resolved")
    body = api.get("/api/v1/concerns/story/?as_of=2012-01-01").json()
    assert [e["status"] for e in body["history"]] == ["raised"]
    assert (body["current_status"], body["as_of"]) == ("raised", "2012-01-01")
    assert [e["status"] for e in api.get("/api/v1/concerns/story/").json()["history"]] == ["raised", "resolved"]


# --- The known EU contribution of a concern's projects ---------------------------------------------


def linked(concern, *projects):
    for project in projects:
        project.concerns.add(concern)


def contribution(api, slug):
    return api.get(f"/api/v1/concerns/{slug}/").json()["known_eu_contribution"]


def test_a_package_whose_projects_are_all_linked_counts_its_total_not_their_amounts(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="funded")
    package = make_call(total_amount_eur=Decimal("1200000"), year=2009)
    linked(
        concern,
        make_project(programme=package.programme, call=package, eu_contribution_eur=Decimal("300000")),
        make_project(programme=package.programme, call=package),
    )
    assert contribution(api, "funded") == {
        "currency": "EUR",
        "total": "1200000.00",
        "packages_counted": 1,
        "projects_counted": 0,
        "projects_amount_unknown": 0,
    }


def test_a_package_and_its_part_count_the_package_total_once(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="funded")
    package = make_call(total_amount_eur=Decimal("1200000"), year=2009)
    part = make_call(programme=package.programme, parent=package, total_amount_eur=Decimal("670000"), year=2009)
    linked(
        concern,
        make_project(programme=package.programme, call=part),
        make_project(programme=package.programme, call=part),
        make_project(programme=package.programme, call=package),
    )
    known = contribution(api, "funded")
    assert (known["total"], known["packages_counted"]) == ("1200000.00", 1)


def test_a_project_with_its_own_amount_counts_it(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="funded")
    package = make_call(total_amount_eur=Decimal("670000"), year=2010)
    in_part = make_project(programme=package.programme, call=package, eu_contribution_eur=Decimal("10000"))
    make_project(programme=package.programme, call=package)  # of the same package, not linked
    linked(
        concern,
        in_part,  # its package is not wholly here: its own amount counts, not the package's total
        make_project(eu_contribution_eur=Decimal("50000")),
        make_project(eu_contribution_eur=None),
        make_project(eu_contribution_eur=Decimal("999"), publication_status=DRAFT),
    )
    body = api.get("/api/v1/concerns/funded/").json()
    assert body["known_eu_contribution"] == {
        "currency": "EUR",
        "total": "60000.00",
        "packages_counted": 0,
        "projects_counted": 2,
        "projects_amount_unknown": 1,
    }
    assert len(body["projects"]) == 3  # the draft is not listed


def test_nothing_known_is_null_not_zero(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="funded")
    linked(concern, make_project(eu_contribution_eur=None))
    assert contribution(api, "funded")["total"] is None
    make_concern(country=kazakhstan, slug="unfunded")
    assert contribution(api, "unfunded")["total"] is None


# --- The matrix ------------------------------------------------------------------------------------


@pytest.fixture
def matrix_record(kazakhstan, kyrgyzstan):
    """KZ x torture: two rounds (one through a concern's entry), one concern now "commitment", a
    package of EUR 1,200 with both its projects; KG x torture: one project of EUR 300."""
    torture = make_topic(slug="torture", name="Torture")
    held(kazakhstan, 2010, topics=[torture])
    concern = make_concern(country=kazakhstan, topics=[torture])
    make_entry(concern, held(kazakhstan, 2011), status="raised")
    make_entry(concern, stated_on=day(2012, 3, 1), status="commitment")
    package = make_call(total_amount_eur=Decimal("1200"), year=2010)
    for amount in (Decimal("700"), None):
        make_project(
            programme=package.programme,
            call=package,
            countries=[kazakhstan],
            topics=[torture],
            eu_contribution_eur=amount,
        )
    make_project(countries=[kyrgyzstan], topics=[torture], eu_contribution_eur=Decimal("300"))
    make_topic(slug="empty")  # nothing in any cell: not a row
    return torture


def cells(api, measure=None):
    response = api.get("/api/v1/matrix/" + (f"?measure={measure}" if measure else ""))
    assert response.status_code == 200
    body = response.json()
    return body, {(cell["country"], cell["topic"]): cell for cell in body["cells"]}


def test_matrix_by_rounds_is_the_default(api, matrix_record):
    body, by_cell = cells(api)
    assert body["measure"] == "rounds"
    assert body["countries"] == ["KZ", "KG"]  # by name: Kazakhstan, Kyrgyz Republic
    assert body["topics"] == ["torture"]
    assert by_cell[("KZ", "torture")] == {
        "country": "KZ",
        "topic": "torture",
        "value": 2,
        "rounds": 2,
        "concerns": 1,
        "latest_status": "commitment",
        "projects": 2,
        "projects_from_iati": 0,
        "known_eu_contribution_eur": "1200.00",
    }
    assert by_cell[("KG", "torture")]["value"] == 0 and by_cell[("KG", "torture")]["latest_status"] is None


def test_matrix_by_funding_and_by_status(api, matrix_record):
    _body, funding = cells(api, "funding")
    assert (funding[("KZ", "torture")]["value"], funding[("KG", "torture")]["value"]) == ("1200.00", "300.00")
    _body, status = cells(api, "status")
    assert (status[("KZ", "torture")]["value"], status[("KG", "torture")]["value"]) == (1, 0)


@pytest.mark.parametrize("measure", ["bogus", "ROUNDS", "value"])
def test_matrix_with_an_unknown_measure_is_a_400_naming_it(api, matrix_record, measure):
    response = api.get(f"/api/v1/matrix/?measure={measure}")
    assert response.status_code == 400
    assert list(response.json()) == ["measure"]


def test_matrix_agrees_with_the_pages_csv(api, client, matrix_record):
    _body, by_cell = cells(api)
    lines = client.get("/en/matrix/export.csv").content.decode("utf-8-sig").splitlines()[1:]
    from_csv = {}
    for line in lines:
        code, _name, topic, _topic_name, rounds, concerns, status, projects, iati, total = line.split(",")
        from_csv[(code, topic)] = (int(rounds), int(concerns), status or None, int(projects), int(iati), total or None)
    from_api = {
        key: (
            *(c["rounds"], c["concerns"], c["latest_status"], c["projects"], c["projects_from_iati"]),
            c["known_eu_contribution_eur"],
        )
        for key, c in by_cell.items()
        if c["rounds"] or c["concerns"] or c["projects"]
    }
    assert from_api == from_csv


# --- Queries that do not grow with the rows -----------------------------------------------------------


def concerns_with_history(n):
    """`n` concerns of one country, each with entries at three rounds and a statement, `n` projects
    linked to the first (half of them in one package), `n` sources on each entry of the first."""
    country, topic = make_country("KZ"), make_topic(slug="torture")
    rounds = [held(country, 2010 + i, topics=[topic]) for i in range(3)]
    sources = [make_source(url=f"https://example.org/{i}") for i in range(n)]
    concerns = [make_concern(country=country, topics=[topic], sources=sources[:1]) for _ in range(n)]
    for i, concern in enumerate(concerns):
        for dialogue_round in rounds:
            make_entry(concern, dialogue_round, sources=sources if i == 0 else sources[:1])
        make_entry(concern, stated_on=day(2015), sources=sources[:1])
    package = make_call(total_amount_eur=Decimal("1000"), year=2010)
    for i in range(n):
        make_project(
            programme=package.programme,
            call=package if i % 2 else None,
            countries=[country],
            topics=[topic],
            eu_contribution_eur=Decimal(10 + i),
        ).concerns.add(concerns[0])
    return concerns[0]


@pytest.mark.parametrize("rows", [1, 20])
def test_concern_list_makes_a_fixed_number_of_queries(api, django_assert_max_num_queries, rows):
    concerns_with_history(rows)
    # COUNT (1), the page of concerns with their country (1), their topics (1) and sources (1),
    # their public entries (1), their countries' rounds (1)
    with django_assert_max_num_queries(6):
        assert len(results(api.get("/api/v1/concerns/?page_size=100"))) == rows
    # filtered: validating country and topic (2); the current status is a subquery of the page;
    # for `stagnant`, the filtered concerns (1) with topics and sources (2), entries (1), rounds (1)
    cache.clear()
    with django_assert_max_num_queries(13):
        found = results(
            api.get("/api/v1/concerns/?country=KZ&topic=torture&status=raised&stagnant=true&year_from=2010")
        )
    assert len(found) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_concern_detail_makes_a_fixed_number_of_queries(api, django_assert_max_num_queries, rows):
    first = concerns_with_history(rows)
    # the concern with its country (1), topics (1), sources (1); the projects (1) with their
    # countries, topics and sources (3); the entries with their rounds (1), their sources (1) and
    # citations (1); the content type of citations (1, until cached); the country's rounds (1);
    # the package's members (1); recommendations (1)
    with django_assert_max_num_queries(14):
        body = api.get(f"/api/v1/concerns/{first.slug}/").json()
    assert len(body["history"]) == 4 and len(body["projects"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_matrix_makes_a_fixed_number_of_queries(api, django_assert_max_num_queries, rows):
    concerns_with_history(rows)
    # countries (1), topics (1), rounds' topics (1), concerns' topics (1), entries (1), projects (1)
    # with their countries (1) and topics (1), the package's members (1 for the one cell)
    with django_assert_max_num_queries(9):
        assert api.get("/api/v1/matrix/?measure=funding").status_code == 200
    with django_assert_max_num_queries(0):  # cached until the next edit
        assert api.get("/api/v1/matrix/?measure=status").status_code == 200


def test_projects_of_a_concern_are_listed_by_title(api, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="funded")
    programme = make_programme()
    for title in ("Zeta project", "Alpha project"):
        make_project(programme=programme, title=title).concerns.add(concern)
    titles = [p["title"] for p in api.get("/api/v1/concerns/funded/").json()["projects"]]
    assert titles == ["Alpha project", "Zeta project"]
