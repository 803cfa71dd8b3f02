"""A page of aggregates is stored in sections, each with what it read (dialogues_portal/views/
cached_content.py): an edit renders again the sections that read its kind of record, and only
those, and every section shows the edit at once."""

import datetime

import pytest
from django.db import transaction

from dialogues.models import Concern, Source
from dialogues_portal import statistics
from dialogues_portal.views import countries
from dialogues_portal.views.home import HomeView
from funding.models import Project
from seminars.models import Seminar

from ..factories import make_concern, make_country, make_project, make_round, make_seminar


@pytest.fixture
def country(db):
    country = make_country(iso_code="KZ", name="Kazakhstan", slug="kazakhstan")
    make_round(country=country, held_on=datetime.date(2015, 5, 1))
    make_seminar(title="Seminar XX-TEST", countries=[country], held_on=datetime.date(2016, 1, 1))
    make_project(title="Prison monitoring XX-TEST", countries=[country], eu_contribution_eur=1000)
    make_concern(country=country, title="Detention of lawyers XX-TEST")
    return country


def page(client):
    response = client.get("/en/countries/kazakhstan/")
    assert response.status_code == 200
    return response.content.decode()


def fails(*args, **kwargs):
    raise AssertionError("computed again")


def test_a_project_edit_renders_the_funding_sections_again_not_the_concerns(client, country, monkeypatch):
    page(client)
    # what reads no funding record is served as stored: computing it again would fail
    monkeypatch.setattr(countries, "concern_rows", fails)
    monkeypatch.setattr(statistics, "round_entries", fails)
    monkeypatch.setattr(statistics, "seminar_entries", fails)
    with transaction.atomic():  # as the admin's save
        project = Project.objects.get()
        project.title, project.eu_contribution_eur = "Prison monitoring, revised XX-TEST", 2500
        project.save()
    html = page(client)
    assert "Prison monitoring, revised XX-TEST" in html  # the timeline
    assert "€2,500" in html  # the contribution
    assert "Detention of lawyers XX-TEST" in html  # the concerns, as stored
    assert "Seminar XX-TEST" in html  # the seminars' entries, as stored


def test_a_concern_edit_renders_the_concerns_again(client, country):
    page(client)
    with transaction.atomic():
        concern = Concern.objects.get()
        concern.title = "Detention of journalists XX-TEST"
        concern.save()
    html = page(client)
    assert "Detention of journalists XX-TEST" in html
    assert "Detention of lawyers XX-TEST" not in html


def test_a_new_project_changes_the_facts_count_and_the_timeline(client, country):
    html = page(client)
    assert "Prison monitoring XX-TEST" in html
    with transaction.atomic():
        make_project(
            title="Media project XX-TEST",
            countries=[country],
            starts_on=datetime.date(2020, 1, 1),
            starts_on_precision="day",
        )
    html = page(client)
    assert "Media project XX-TEST" in html
    assert '?country=KZ">2</a>' in html  # projects recorded: 2


def home(client):
    response = client.get("/en/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_shows_a_project_edit_in_its_figures_and_latest_activity(client, country, monkeypatch):
    home(client)
    # the activity chart and the latest rounds and seminars: as stored
    monkeypatch.setattr(HomeView, "activity_chart_context", fails)
    monkeypatch.setattr(statistics, "round_entries", fails)
    monkeypatch.setattr(statistics, "seminar_entries", fails)
    with transaction.atomic():
        make_project(
            title="Media project XX-TEST",
            countries=[country],
            starts_on=datetime.date(2030, 1, 1),
            starts_on_precision="day",
            eu_contribution_eur=4000,
            # a new source or programme would change what every section read
            sources=[Source.objects.first()],
            programme=Project.objects.get().programme,
        )
    html = home(client)
    assert "Media project XX-TEST" in html  # the latest activity
    assert '<a href="/en/funding/projects/">2</a>' in html  # the key figures' projects
    assert "€5,000" in html  # the known contribution: 1,000 + 4,000
    assert html.count("€4,000") == 2  # the chart of years, drawn and in its table: 2030's amount


def test_the_home_page_shows_a_round_edit_and_keeps_its_contribution_charts(client, country, monkeypatch):
    assert "2017" not in home(client)
    monkeypatch.setattr(HomeView, "contribution_charts_context", fails)  # as stored
    monkeypatch.setattr(statistics, "project_entries", fails)
    per_year = statistics._per_year  # the seminars per year: as stored, the rounds grouped again
    monkeypatch.setattr(statistics, "_per_year", lambda model: fails() if model is Seminar else per_year(model))
    with transaction.atomic():
        make_round(country=country, held_on=datetime.date(2017, 6, 1), sources=[Source.objects.first()])
    html = home(client)
    assert '<a href="/en/dialogues/">2</a>' in html  # the key figures' rounds
    assert 'scope="row">2017</th>' in html  # the activity chart's table has the new round's year
    assert 'scope="row">2016</th>' in html  # and the seminar's year, as stored
    assert 'id="chart-country-title"' in html  # the contribution charts, as stored


def test_a_topic_page_shows_a_project_edit_and_keeps_its_concerns(client, country, monkeypatch):
    from dialogues.models import Topic
    from dialogues_portal.views import topics

    from ..factories import make_topic

    topic = make_topic(name="Torture", slug="torture")
    Concern.objects.get().topics.add(topic)
    assert "Detention of lawyers XX-TEST" in client.get("/en/topics/torture/").content.decode()
    monkeypatch.setattr(topics, "concern_rows", fails)
    with transaction.atomic():
        project = Project.objects.get()
        project.save()
        project.topics.add(Topic.objects.get(slug="torture"))
    html = client.get("/en/topics/torture/").content.decode()
    assert "Prison monitoring XX-TEST" in html
    assert "Detention of lawyers XX-TEST" in html
