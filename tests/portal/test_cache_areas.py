"""An edit drops what read its kind of record, and only that (dialogues/cache.py): the areas a
value's SQL read are noted when it is computed, and an edit bumps its own area's generation."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dialogues.cache import AREAS, area_of, areas_in, bump, cached
from dialogues.models import Country, DialogueRound
from dialogues_portal import statistics
from dialogues_portal.response_cache import HIT_HEADER
from funding.aggregates import known_contribution
from funding.models import Project
from seminars.models import Seminar

from ..factories import make_country, make_project, make_round, make_seminar


@pytest.fixture
def record(db):
    country = make_country(iso_code="KZ", name="Kazakhstan", slug="kazakhstan")
    make_project(title="Prison monitoring XX-TEST", countries=[country], eu_contribution_eur=1000)
    make_round(country=country, held_on=datetime.date(2015, 5, 1))
    make_seminar(title="Seminar XX-TEST", countries=[country])
    return country


def queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


@pytest.mark.parametrize(
    ("label", "area"),
    [
        ("dialogues.country", "shared"),
        ("dialogues.historicalcountry", "shared"),
        ("dialogues.country_dialogue_topics", "shared"),  # a many-to-many table goes with its owner
        ("dialogues.citation", "shared"),
        ("dialogues.dialogueround", "dialogues"),
        ("dialogues.dialogueround_topics", "dialogues"),
        ("dialogues.historicaldialogueround_topics", "dialogues"),
        ("dialogues.concernentry", "dialogues"),
        ("seminars.recommendation_concerns", "seminars"),
        ("funding.project_countries", "funding"),
        ("funding.projectsector", "funding"),
        ("funding.iatiupload", None),  # an upload's progress is nobody's content
        ("auth.user", None),
    ],
)
def test_each_table_belongs_to_the_area_of_its_record(label, area):
    assert area_of(apps.get_model(label)) == area


def test_every_content_table_has_an_area():
    for app in ("dialogues", "seminars", "funding"):
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            assert area_of(model) in (*AREAS, None), model
            if model._meta.label_lower != "funding.iatiupload":
                assert area_of(model) is not None, model


def test_the_areas_are_read_off_the_sql():
    sql = str(Project.objects.filter(countries__iso_code="KZ").values("pk").query)
    assert areas_in(sql) == {"funding", "shared"}
    assert areas_in(str(DialogueRound.objects.filter(topics__slug="x").query)) == {"dialogues", "shared"}
    assert areas_in('SELECT 1 FROM "funding_project_countries_x"') == set()  # whole names only


def test_an_edit_of_a_round_keeps_the_funding_figures_and_refreshes_the_counts(record):
    assert known_contribution(country=record).total == Decimal(1000)
    assert statistics.key_figures(None)["rounds"] == 1
    make_round(country=record, held_on=datetime.date(2016, 6, 1))
    assert queries(lambda: known_contribution(country=record)) == 0  # it read no round
    assert statistics.key_figures(None)["rounds"] == 2


def test_an_edit_of_a_project_drops_the_funding_figures(record):
    assert known_contribution(country=record).total == Decimal(1000)
    project = Project.objects.get()
    project.eu_contribution_eur = 2500
    project.save()
    assert known_contribution(country=record).total == Decimal(2500)


def test_an_edit_of_a_shared_record_drops_what_read_it(record):
    names = lambda: cached("test-country-names", lambda: sorted(Country.objects.values_list("name", flat=True)))  # noqa: E731
    rounds = lambda: cached("test-round-count", lambda: DialogueRound.objects.count())  # noqa: E731
    assert names() == ["Kazakhstan"] and rounds() == 1
    record.name = "Kazakhstan (renamed XX-TEST)"
    record.save()
    assert queries(rounds) == 0  # a count of rounds read no country
    assert names() == ["Kazakhstan (renamed XX-TEST)"]


def test_a_value_built_on_another_stored_value_depends_on_what_that_one_read(record):
    inner = lambda: cached("test-inner", lambda: Project.objects.count())  # noqa: E731
    outer = lambda: cached("test-outer", lambda: inner() * 10)  # noqa: E731
    inner()  # stored first: the outer's computation runs no query of its own
    assert outer() == 10
    assert queries(outer) == 0
    make_project(countries=[record])
    assert outer() == 20


def test_an_edit_made_while_a_value_is_computed_leaves_that_value_stale(record):
    def compute():
        count = Project.objects.count()
        make_project(countries=[record])  # another request's edit, between the read and the store
        return count

    assert cached("test-racing", compute) == 1
    assert cached("test-racing", lambda: Project.objects.count()) == 2


def test_the_whole_cache_still_goes_with_the_epoch(record):
    rounds = lambda: cached("test-round-count", lambda: DialogueRound.objects.count())  # noqa: E731
    rounds()
    bump()  # as a bulk write does
    assert queries(rounds) == 1


def test_an_iati_upload_in_progress_drops_nothing(record, editor):
    from funding.models import IatiUpload

    known_contribution(country=record)
    upload = IatiUpload.objects.create(user=editor, file_name="activities.xml", data=b"<x/>")
    upload.save()
    assert queries(lambda: known_contribution(country=record)) == 0


@pytest.mark.parametrize(
    ("url", "edit", "dropped"),
    [
        ("/en/funding/projects/", "round", False),
        ("/en/funding/projects/", "seminar", False),
        ("/en/funding/projects/", "project", True),
        ("/en/dialogues/", "project", False),
        ("/en/dialogues/", "round", True),
        ("/en/seminars/", "project", False),
        ("/en/seminars/", "round", True),  # a seminar's row names the round it was held alongside
        ("/en/seminars/", "seminar", True),
        ("/api/v1/projects/", "seminar", False),
        ("/api/v1/projects/", "project", True),
        ("/en/funding/projects/", "country", True),  # every listing shows its countries
        ("/en/", "seminar", True),  # the home page counts everything
    ],
)
def test_a_visitors_stored_page_goes_only_with_an_edit_of_what_it_shows(settings, record, url, edit, dropped):
    settings.PUBLIC_RESPONSE_CACHE = True
    client = Client()
    assert client.get(url)[HIT_HEADER] == "miss"
    assert client.get(url)[HIT_HEADER] == "hit"
    if edit == "round":
        DialogueRound.objects.get().save()
    elif edit == "seminar":
        Seminar.objects.get().save()
    elif edit == "project":
        Project.objects.get().save()
    else:
        record.save()
    assert client.get(url)[HIT_HEADER] == ("miss" if dropped else "hit")


def test_an_iati_import_drops_the_funding_figures_though_its_bulk_writes_send_no_signal(record):
    from pathlib import Path

    from django.core.management import call_command

    for code in ("KG", "TJ", "TM", "UZ"):
        make_country(iso_code=code)
    before = known_contribution().projects_counted
    rounds = lambda: cached("test-round-count", lambda: DialogueRound.objects.count())  # noqa: E731
    rounds()
    files = Path(__file__).parent.parent / "funding" / "iati_files"
    call_command("import_iati", str(files / "activities-2.03.xml"), "--publish", stdout=None)
    assert known_contribution().projects_counted > before
    assert queries(rounds) == 0  # it wrote no round


def test_a_value_showing_a_record_fetched_before_it_depends_on_that_record(record):
    from dialogues.cache import depends_on

    calls = []

    def compute():
        depends_on(Country)  # e.g. a country page's content: the country is the view's own object
        calls.append(1)
        return record.name

    cached("test-shown-record", compute)
    cached("test-shown-record", compute)
    assert len(calls) == 1
    record.save()
    cached("test-shown-record", compute)
    assert len(calls) == 2


@pytest.mark.parametrize("kind", ["country", "topic"])
def test_a_record_pages_content_shows_its_own_edit_at_once(client, record, kind):
    from ..factories import make_topic

    shown = record if kind == "country" else make_topic(name="Topic XX-TEST", slug="topic-xx-test")
    url = shown.get_absolute_url()
    assert "A new text XX-TEST" not in client.get(url).content.decode()
    field = "summary" if kind == "country" else "description"
    setattr(shown, field, "A new text XX-TEST")
    shown.save()
    assert "A new text XX-TEST" in client.get(url).content.decode()


def test_an_edit_of_a_round_recounts_the_rounds_only_not_the_projects(record):
    def figures():
        return (
            statistics.key_figures(None),
            statistics.records_per_topic(),
            statistics.topic_attention([record]),
            statistics.topics_raised_most_in(record, []),
        )

    figures()
    DialogueRound.objects.get().save()
    with CaptureQueriesContext(connection) as recounted:
        figures()
    tables = " ".join(query["sql"] for query in recounted.captured_queries)
    assert "dialogues_dialogueround" in tables
    assert "funding_project" not in tables and "seminars_seminar" not in tables
    assert statistics.key_figures(None)["rounds"] == 1
