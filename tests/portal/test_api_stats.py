"""The statistics endpoints and the one rule behind them: the known EU contribution."""

import datetime
import random
from decimal import Decimal

import pytest

from funding.aggregates import known_contribution
from funding.models import Project
from tests.factories import (
    DRAFT,
    PUBLISHED,
    make_call,
    make_country,
    make_programme,
    make_project,
    make_round,
    make_seminar,
)

# --- The rule ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_call_total_is_not_counted_again_through_its_projects():
    call = make_call(total_amount_eur=Decimal("670000"), year=2010)
    make_project(programme=call.programme, call=call, eu_contribution_eur=Decimal("100000"))
    make_project(programme=call.programme, call=call)
    result = known_contribution()
    assert result.total == Decimal("670000")
    assert (result.calls_counted, result.projects_counted, result.projects_amount_unknown) == (1, 0, 0)


@pytest.mark.django_db
def test_projects_without_a_counted_call_add_their_amount():
    programme = make_programme(slug="eidhr")
    make_project(programme=programme, eu_contribution_eur=Decimal("100"))  # no call
    no_total = make_call(programme=programme, total_amount_eur=None)
    make_project(programme=programme, call=no_total, eu_contribution_eur=Decimal("20"))
    draft_call = make_call(programme=programme, total_amount_eur=Decimal("5000"), publication_status=DRAFT)
    make_project(programme=programme, call=draft_call, eu_contribution_eur=Decimal("3"))
    result = known_contribution()
    assert result.total == Decimal("123")
    assert result.projects_counted == 3


@pytest.mark.django_db
def test_unknown_is_not_zero():
    make_project(eu_contribution_eur=None)
    result = known_contribution()
    assert result.total is None
    assert result.by_programme == []
    assert result.projects_amount_unknown == 1


@pytest.mark.django_db
def test_drafts_count_for_nothing():
    make_call(total_amount_eur=Decimal("1000"), publication_status=DRAFT)
    make_project(eu_contribution_eur=Decimal("1000"), publication_status=DRAFT)
    make_project(eu_contribution_eur=Decimal("1000"), programme=make_programme(publication_status=DRAFT))
    assert known_contribution().total is None


@pytest.mark.django_db
def test_by_programme_and_by_year():
    eidhr, dci = make_programme(slug="eidhr", name="EIDHR"), make_programme(slug="dci", name="DCI")
    make_call(programme=eidhr, total_amount_eur=Decimal("600"), year=2010)
    make_project(
        programme=dci,
        eu_contribution_eur=Decimal("50"),
        starts_on=datetime.date(2012, 1, 1),
        starts_on_precision="year",
    )
    make_project(programme=dci, eu_contribution_eur=Decimal("7"))  # no start date
    result = known_contribution()
    assert [(p.slug, p.amount) for p in result.by_programme] == [("eidhr", Decimal("600")), ("dci", Decimal("57"))]
    assert [(y.year, y.amount) for y in result.by_year] == [(2010, 600), (2012, 50), (None, 7)]
    assert result.total == Decimal("657")


@pytest.mark.django_db
def test_a_country_counts_its_calls_and_the_projects_no_call_of_its_own_covers():
    kz, kg = make_country("KZ"), make_country("KG")
    programme = make_programme()
    national = make_call(programme=programme, country=kz, total_amount_eur=Decimal("1000"))
    make_project(programme=programme, call=national, countries=[kz], eu_contribution_eur=Decimal("400"))
    regional = make_call(programme=programme, country=None, total_amount_eur=Decimal("9000"))
    make_project(programme=programme, call=regional, countries=[kz, kg], eu_contribution_eur=Decimal("300"))
    assert known_contribution(country=kz).total == Decimal("1300")  # the national call + the regional project
    assert known_contribution(country=kg).total == Decimal("300")
    assert known_contribution().total == Decimal("10000")  # both calls; no project counted twice


@pytest.mark.django_db
def test_every_scope_agrees_with_the_rule_applied_record_by_record():
    # Every scope is computed at once from grouped rows (funding/aggregates.py); here the rule is
    # applied to each record as its docstring states it, over a mix of every case it names.
    rng = random.Random(7)
    countries = [make_country(code) for code in ("KZ", "KG", "TJ")]
    programmes = [make_programme(), make_programme(), make_programme(publication_status=DRAFT)]
    calls = [
        make_call(
            programme=rng.choice(programmes),
            country=rng.choice([None, *countries]),
            total_amount_eur=rng.choice([None, Decimal("1000"), Decimal("2500")]),
            year=rng.choice([2008, 2012]),
            publication_status=rng.choice([PUBLISHED, PUBLISHED, DRAFT]),
        )
        for _ in range(12)
    ]
    for _ in range(60):
        make_project(
            programme=rng.choice(programmes),
            call=rng.choice([None, *calls]),
            countries=rng.sample(countries, rng.randint(1, 3)),
            eu_contribution_eur=rng.choice([None, Decimal("10"), Decimal("300")]),
            **rng.choice([{}, {"starts_on": datetime.date(2009, 1, 1), "starts_on_precision": "year"}]),
            publication_status=rng.choice([PUBLISHED, PUBLISHED, DRAFT]),
        )

    def counts(call):
        return (
            call.publication_status == PUBLISHED
            and call.programme.publication_status == PUBLISHED
            and call.total_amount_eur is not None
        )

    for scope in (None, *countries):
        in_scope = [call for call in calls if counts(call) and (scope is None or call.country_id == scope.pk)]
        total, projects, unknown = sum(call.total_amount_eur for call in in_scope), 0, 0
        for project in Project.objects.filter(publication_status=PUBLISHED, programme__publication_status=PUBLISHED):
            if scope is not None and scope not in project.countries.all():
                continue
            if project.call in in_scope:
                continue
            if project.eu_contribution_eur is None:
                unknown += 1
            else:
                total, projects = total + project.eu_contribution_eur, projects + 1
        result = known_contribution(country=scope)
        assert (result.total or 0, result.calls_counted, result.projects_counted, result.projects_amount_unknown) == (
            total,
            len(in_scope),
            projects,
            unknown,
        ), scope
        assert sum(row.amount for row in result.by_year) == sum(row.amount for row in result.by_programme) == total
    assert projects and unknown  # the mix has both kinds in the last scope


# --- The endpoints -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stats_give_counts_and_the_contribution_overall_and_per_country(api):
    kz, kg = make_country("KZ", name="Kazakhstan"), make_country("KG", name="Kyrgyz Republic")
    make_round(country=kz)
    make_round(country=kz, publication_status=DRAFT)
    make_seminar(countries=[kz, kg])
    eidhr = make_programme(slug="eidhr")
    make_call(programme=eidhr, country=kz, total_amount_eur=Decimal("670000"), year=2010)
    make_project(programme=eidhr, countries=[kg], eu_contribution_eur=None)
    body = api.get("/api/v1/stats/").json()
    assert body["counts"] == {"dialogue_rounds": 1, "seminars": 1, "projects": 1, "calls": 1}
    contribution = body["known_eu_contribution"]
    assert contribution["currency"] == "EUR"
    assert contribution["total"] == "670000.00"
    assert contribution["by_programme"][0]["programme"]["url"] == "http://testserver/api/v1/programmes/eidhr/"
    assert contribution["by_year"] == [{"year": 2010, "amount": "670000.00"}]
    assert contribution["projects_amount_unknown"] == 1
    countries = {c["country"]["code"]: c for c in body["countries"]}
    assert countries["KZ"]["counts"] == {"dialogue_rounds": 1, "seminars": 1, "projects": 0, "calls": 1}
    assert countries["KG"]["counts"] == {"dialogue_rounds": 0, "seminars": 1, "projects": 1, "calls": 0}
    assert countries["KZ"]["summary_url"] == "http://testserver/api/v1/countries/KZ/summary/"


@pytest.mark.django_db
def test_a_country_summary(api):
    kz = make_country("KZ", name="Kazakhstan")
    make_round(country=kz)
    make_project(countries=[kz], eu_contribution_eur=Decimal("150000"))
    body = api.get("/api/v1/countries/kz/summary/").json()
    assert body["country"] == {"code": "KZ", "name": "Kazakhstan", "url": "http://testserver/api/v1/countries/KZ/"}
    assert body["counts"] == {"dialogue_rounds": 1, "seminars": 0, "projects": 1, "calls": 0}
    assert body["known_eu_contribution"]["total"] == "150000.00"


@pytest.mark.django_db
def test_a_country_with_nothing_known_has_a_null_total(api):
    make_country("TM")
    assert api.get("/api/v1/countries/TM/summary/").json()["known_eu_contribution"]["total"] is None


@pytest.mark.django_db
def test_the_summary_of_an_unknown_or_draft_country_is_a_404(api):
    make_country("TM", publication_status=DRAFT)
    assert api.get("/api/v1/countries/TM/summary/").status_code == 404
    assert api.get("/api/v1/countries/XX/summary/").status_code == 404


@pytest.mark.parametrize("rows", [1, 55])
def test_stats_queries(api, django_assert_max_num_queries, db, rows):
    kz, programme = make_country("KZ"), make_programme()
    for n in range(rows):
        make_round(country=kz, sequence_number=n + 1)
        make_project(programme=programme, countries=[kz], eu_contribution_eur=Decimal("10"))
    # 1-3 the totals of rounds, seminars and calls, 4-6 the same per country, 7 the countries,
    # 8-9 the projects' counts (funding/summaries.py: built?, the counts), 10-13 the contribution
    # (built?, its cells summed by programme and by year, the programmes' names).
    with django_assert_max_num_queries(13):
        assert api.get("/api/v1/stats/").status_code == 200


@pytest.mark.parametrize("rows", [1, 55])
def test_country_summary_queries(api, django_assert_max_num_queries, db, rows):
    kz, programme = make_country("KZ"), make_programme()
    for _ in range(rows):
        make_project(programme=programme, countries=[kz], eu_contribution_eur=Decimal("10"))
    # 1 the country, 2-4 the counts of rounds, seminars and calls, 5-6 the projects' counts
    # (built?, the counts), 7-10 the contribution (built?, its cells summed by programme and by
    # year, the programmes' names).
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/countries/KZ/summary/").status_code == 200
