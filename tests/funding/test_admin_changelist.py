"""The editors' project changelist, built for a million rows (dialogues/admin_changelist.py): the
filters, search, counts and pages give what Django's own would, without joins, DISTINCT, LIKE or
OFFSET over whole rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogues import admin_changelist
from funding.models import Project
from tests.factories import make_country, make_programme, make_project, make_topic

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:funding_project_changelist"


def listed(client, query=""):
    response = client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 200, response.status_code
    return [row.title for row in response.context["cl"].result_list], response


@pytest.fixture
def records(db):
    kz, kg = make_country("KZ"), make_country("KG")
    torture, media = make_topic(name="Torture"), make_topic(name="Media")
    programme = make_programme()
    return {
        "kz": kz,
        "kg": kg,
        "torture": torture,
        "media": media,
        "both": make_project(
            programme,
            [kz, kg],
            [torture],
            title="Prison monitoring",
            starts_on=datetime.date(2012, 3, 1),
            starts_on_precision="day",
        ),
        "kz only": make_project(
            programme,
            [kz],
            [media],
            title="Press freedom",
            starts_on=datetime.date(2010, 1, 1),
            starts_on_precision="day",
        ),
        "draft": make_project(
            programme,
            [kg],
            [torture],
            title="Legal aid for detainees",
            starts_on=datetime.date(2012, 9, 1),
            starts_on_precision="day",
            publication_status="draft",
        ),
    }


def test_a_country_and_a_topic_filter_match_their_projects_once(publisher_client, records):
    titles, _ = listed(publisher_client, f"?countries__id__exact={records['kz'].pk}")
    assert titles == ["Prison monitoring", "Press freedom"]  # the one with two countries listed once
    titles, _ = listed(
        publisher_client, f"?countries__id__exact={records['kg'].pk}&topics__id__exact={records['torture'].pk}"
    )
    assert titles == ["Legal aid for detainees", "Prison monitoring"]  # drafts too: this is the editors' list


def test_the_year_filter_lists_the_years_between_the_first_and_last_start(publisher_client, records):
    titles, response = listed(publisher_client, "?starts_on__year=2012")
    assert titles == ["Legal aid for detainees", "Prison monitoring"]
    [year_filter] = [
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "starts_on__year"
    ]
    assert [value for value, _label in year_filter.lookup_choices] == ["2012", "2011", "2010"]


@pytest.mark.parametrize(
    "query", ["?countries__id__exact=x", "?topics__id__exact=1%00", "?starts_on__year=20120", "?starts_on__year=-1"]
)
def test_a_junk_filter_value_is_refused_without_an_error(publisher_client, records, query):
    response = publisher_client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 302 and "e=1" in response["Location"]  # Django's "incorrect lookup" page


def test_search_finds_by_every_word_in_either_language_drafts_included(publisher_client, records):
    assert listed(publisher_client, "?q=detainees")[0] == ["Legal aid for detainees"]
    assert listed(publisher_client, "?q=prison+monitoring")[0] == ["Prison monitoring"]
    assert listed(publisher_client, "?q=nothing+matches")[0] == []


def test_a_deep_page_holds_the_rows_of_that_page_in_order(publisher_client, records, settings):
    programme = make_programme()
    for n in range(120):
        make_project(
            programme,
            [records["kz"]],
            title=f"Numbered {n:03d}",
            starts_on=datetime.date(1990, 1, 1),
            starts_on_precision="day",
        )
    expected = list(Project.objects.values_list("title", flat=True))  # the model's order
    titles, response = listed(publisher_client, "?p=2")
    assert titles == expected[50:100]
    assert listed(publisher_client, "?p=3")[0] == expected[100:]
    assert response.context["cl"].result_count == len(expected)
    assert "about" not in response.content.decode().split('class="paginator"')[1][:400]


def test_beyond_the_exact_limit_the_count_is_the_databases_estimate_and_says_so(publisher_client, records, monkeypatch):
    monkeypatch.setattr(admin_changelist, "EXACT_COUNT_UP_TO", 2)
    monkeypatch.setattr(admin_changelist, "estimated_count", lambda queryset: 40)
    _, response = listed(publisher_client)
    assert response.context["cl"].result_count == 40
    assert "about 40 projects" in response.content.decode()


def test_the_estimate_is_postgresqls_plan(records):
    estimate = admin_changelist.estimated_count(Project.objects.all())
    if connection.vendor == "postgresql":
        assert isinstance(estimate, int) and estimate >= 0
    else:
        assert estimate is None


def test_the_changelist_makes_as_many_queries_for_many_rows_as_for_few(publisher_client, records, monkeypatch):
    from funding.admin import ProjectAdmin

    monkeypatch.setattr(ProjectAdmin, "list_per_page", 2)  # several pages either way

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            listed(publisher_client, query)
        return len(captured)

    programme = make_programme()
    for n in range(3):  # a few more than a page in each listing
        make_project(programme, [records["kz"]], [records["media"]], title=f"Monitoring {n}")
    few = [queries(q) for q in ("", f"?countries__id__exact={records['kz'].pk}", "?q=monitoring", "?p=1")]
    for n in range(3, 60):
        make_project(programme, [records["kz"], records["kg"]], [records["media"]], title=f"Monitoring {n}")
    many = [queries(q) for q in ("", f"?countries__id__exact={records['kz'].pk}", "?q=monitoring", "?p=2")]
    assert many == few


def test_the_filters_read_no_through_table_join_on_postgresql(publisher_client, records):
    if connection.vendor != "postgresql":
        pytest.skip("the relation arrays exist on PostgreSQL")
    with CaptureQueriesContext(connection) as captured:
        listed(publisher_client, f"?countries__id__exact={records['kz'].pk}&topics__id__exact={records['torture'].pk}")
    project_queries = [q["sql"] for q in captured if 'FROM "funding_project"' in q["sql"]]
    assert project_queries
    assert not any("funding_project_countries" in sql or "DISTINCT" in sql for sql in project_queries)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_rows_checkbox_is_djangos_own(admin_client, records, language):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin
    from django.utils import translation

    project = records["both"]
    project.title = 'Monitoring <script>alert("x")</script> & "detention"'
    model_admin = admin.site._registry[Project]
    with translation.override(language):
        assert model_admin.action_checkbox(project) == ModelAdmin.action_checkbox(model_admin, project)
    project.save()
    _titles, response = listed(admin_client)
    assert model_admin.action_checkbox(project) in response.content.decode()


def test_the_seminar_and_round_changelists_filter_by_country_and_topic_once_each(publisher_client, records):
    """Their many-to-many filters are the projects' (RelationFilter): a seminar of two countries is
    listed once, with no join or DISTINCT over the table."""
    from dialogues.models import DialogueRound
    from seminars.models import Seminar
    from tests.factories import make_round, make_seminar

    kz, kg, torture = records["kz"], records["kg"], records["torture"]
    regional = make_seminar(title="Regional forum", countries=[kz, kg], topics=[torture])
    make_seminar(title="Kyrgyz seminar", countries=[kg])
    on_torture = make_round(country=kz, topics=[torture])
    make_round(country=kz)

    def rows(url, query):
        with CaptureQueriesContext(connection) as queries:
            response = publisher_client.get(url + query)
        assert response.status_code == 200
        assert not any("DISTINCT" in query["sql"] and "JOIN" in query["sql"] for query in queries.captured_queries)
        return list(response.context["cl"].result_list)

    seminars, rounds = reverse("admin:seminars_seminar_changelist"), reverse("admin:dialogues_dialogueround_changelist")
    assert rows(seminars, f"?countries__id__exact={kz.pk}") == [regional]
    assert len(rows(seminars, f"?countries__id__exact={kg.pk}")) == 2
    assert rows(seminars, f"?countries__id__exact={kg.pk}&topics__id__exact={torture.pk}") == [regional]
    assert rows(rounds, f"?topics__id__exact={torture.pk}") == [on_torture]
    assert Seminar.objects.count() == 2 and DialogueRound.objects.count() == 2
    response = publisher_client.get(seminars + "?countries__id__exact=x")
    assert response.status_code == 302 and "e=1" in response["Location"]
