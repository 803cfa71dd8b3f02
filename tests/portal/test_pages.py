"""The pages that span the apps: home, countries, topics, search; and the newcomer's questions."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import (
    DRAFT,
    make_call,
    make_country,
    make_programme,
    make_project,
    make_records,
    make_round,
    make_seminar,
    make_topic,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/en/countries/",
    "/en/topics/",
    "/en/dialogues/",
    "/en/seminars/",
    "/en/funding/",
    "/en/funding/projects/",
    "/en/search/?q=x",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_title_description_and_open_graph(client, real_data_shared, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>" in html and 'name="description"' in html
    assert 'property="og:title"' in html and 'property="og:description"' in html
    assert "style=" not in html and "<style" not in html  # the CSP forbids inline styles
    assert not re.search(r"<script(?![^>]*\ssrc=\"/static/)", html)  # self-served scripts only, none inline


def test_every_real_record_has_a_page(client, real_data_shared):
    from dialogues.models import Country, DialogueRound, Topic
    from funding.models import Programme, Project
    from seminars.models import Seminar

    for model in (Country, Topic, DialogueRound, Seminar, Programme, Project):
        for record in model.objects.published():
            assert client.get(record.get_absolute_url()).status_code == 200, record


def test_newcomer_questions_are_answered_by_the_real_data(client, real_data_shared):
    turkmenistan = client.get("/en/countries/turkmenistan/").content.decode()
    assert "Topics the EU raises with Turkmenistan" in turkmenistan
    assert "Rights of the child" in turkmenistan
    countries = client.get("/en/countries/").content.decode()
    for start in ("October 2008", "2005", "2007"):
        assert start in countries
    seminars_2009 = client.get("/en/seminars/?year_from=2009&year_to=2009")
    assert seminars_2009.context["paginator"].count == 3
    # the five projects announced in January 2010: "to be implemented", so no start date is known
    projects = client.get("/en/funding/projects/?country=KZ&programme=eidhr")
    titles = {project.title for project in projects.context["object_list"]}
    assert "Promotion of press freedom and media legislation reform" in titles
    eidhr = client.get("/en/funding/programmes/eidhr/").content.decode()
    assert "€670,000" in eidhr and "€1,200,000" in eidhr  # the five new ones, and the package of eight


def test_home_shows_key_figures_counting_a_calls_total_once(client):
    call = make_call(total_amount_eur=Decimal("670000"), country=make_country("KZ"))
    for _ in range(3):
        make_project(programme=call.programme, call=call, eu_contribution_eur=Decimal("100"))
    make_project(eu_contribution_eur=Decimal("30000"))
    make_project(eu_contribution_eur=Decimal("999"), publication_status=DRAFT)
    response = client.get("/en/")
    assert response.context["figures"]["projects"] == 4
    assert response.context["figures"]["contribution"] == Decimal("700000")
    assert "€700,000" in response.content.decode()


def test_home_shows_unknown_contribution_when_nothing_is_known(client):
    make_project()
    assert response_text(client, "/en/").count("€0") == 0


def response_text(client, path):
    return client.get(path).content.decode()


def test_country_page_timeline_interleaves_rounds_seminars_and_projects(client):
    country = make_country("KZ", name="Kazakhstan", slug="kazakhstan")
    make_round(country=country, held_on=datetime.date(2008, 10, 1))
    make_seminar(countries=[country], title="Almaty seminar", held_on=datetime.date(2009, 7, 1))
    make_project(
        countries=[country], title="Media project", starts_on=datetime.date(2010, 1, 1), starts_on_precision="month"
    )
    timeline = client.get("/en/countries/kazakhstan/").context["timeline"]
    assert [entry.kind for entry in timeline] == ["round", "seminar", "project"]


def test_country_page_shows_contribution_by_programme_with_its_years(client):
    """One row a programme, whatever the years: a phone reads forty programmes, not 1,300 rows."""
    country = make_country(slug="kz")
    programme = make_programme(name="EIDHR")
    make_call(programme=programme, country=country, year=2010, total_amount_eur=Decimal("670000"))
    make_call(programme=programme, country=country, year=2012, total_amount_eur=Decimal("30000"))
    make_call(programme=make_programme(name="DCI"), country=country, year=None, total_amount_eur=Decimal("5000"))
    html = response_text(client, "/en/countries/kz/")
    assert "Known EU contribution by programme" in html
    row = r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>\s*<td class=\"number\">(.*?)</td>"
    rows = re.findall(row, html, re.S)
    assert [(re.sub("<[^>]+>", "", name), years, amount) for name, years, amount in rows] == [
        ("EIDHR", "2010–2012", "€700,000"),
        ("DCI", "unknown year", "€5,000"),
    ]


def test_topic_page_gathers_the_theme_across_countries(client):
    topic = make_topic(name="Media freedom", slug="media-freedom")
    make_round(country=make_country(name="Kazakhstan"), topics=[topic])
    make_seminar(countries=[make_country(name="Tajikistan")], topics=[topic], title="Dushanbe seminar")
    make_seminar(topics=[topic], title="Draft seminar", publication_status=DRAFT)
    html = response_text(client, "/en/topics/media-freedom/")
    assert "Kazakhstan" in html and "Dushanbe seminar" in html
    assert "Draft seminar" not in html


def test_search_groups_results_by_type(client):
    make_seminar(title="Seminar on torture prevention")
    make_project(title="Torture prevention monitoring")
    make_project(title="Draft torture project", publication_status=DRAFT)
    response = client.get("/en/search/?q=torture")
    labels = [str(group["label"]) for group in response.context["groups"]]
    assert labels == ["Seminars", "Projects"]
    assert "Draft torture project" not in response.content.decode()


@pytest.mark.parametrize(
    "query", ["", "a" * 10000, "<script>alert(1)</script>", "' OR 1=1; --", "%00", "торture", "&&&|||!!!"]
)
def test_search_never_fails(client, query):
    make_seminar()
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


@pytest.mark.parametrize(
    "path", ["/en/countries/atlantis/", "/en/topics/no-such-topic/", "/en/countries/" + "x" * 500 + "/"]
)
def test_unknown_country_or_topic_is_404_with_the_custom_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_draft_country_and_topic_are_404(client):
    country = make_country(publication_status=DRAFT)
    topic = make_topic(publication_status=DRAFT)
    assert client.get(country.get_absolute_url()).status_code == 404
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_charts_are_svg_with_a_table(client, real_data_shared):
    html = response_text(client, "/en/")
    assert html.count("<svg") == 3
    assert html.count("<table") >= 3
    assert "Known EU contribution by country" in html
    topics = response_text(client, "/en/topics/")
    assert "Topic attention per country" in topics and "<svg" in topics


@pytest.mark.parametrize("rows", [1, 55])
@pytest.mark.parametrize(
    "path, queries",
    [
        # counts of rounds, seminars, projects (3); known contribution overall and per country (3 + 3
        # per country); countries (1); latest rounds, seminars, projects with their prefetches (10);
        # activity per year (2)
        ("/en/", 25),
        # countries with sources (2); counts of rounds and seminars (2); the projects' counts (2:
        # whether the summary tables are built, the counts; funding/summaries.py)
        ("/en/countries/", 6),
        # the country (1) with sources and agenda (2), its citations (1); how many rounds and
        # seminars (2), projects (2: the projects' counts); the latest of each with
        # prefetches (3 + 4 + 4); calls with places, sources and citations (4); known
        # contribution (3); topics raised most: rounds and seminars (2), projects (3: the
        # published topics, the projects' counts) and the topics (1); its concerns (1), their
        # entries and the country's rounds (2); the latest and earliest round (2); stated figures
        # (1, their sources when there are some)
        ("/en/countries/{country}/", 38),
        # topics (1); records per topic: rounds, seminars, agendas (3), projects (3: the published
        # topics, the projects' counts); countries (1); attention: agenda (1), rounds (1), seminars
        # by topic and country (1), projects by topic and country (3, as above)
        ("/en/topics/", 14),
        # the topic (1) with sources (1); agenda countries (1); how many rounds and seminars (2),
        # projects (2: the projects' counts); the latest of each with prefetches (11); its concerns
        # (1), their entries and their countries' rounds (2)
        ("/en/topics/{topic}/", 21),
        # for each of six record types: a count, and the first results with prefetches (at most)
        ("/en/search/?q=Seminar", 14),
    ],
)
def test_pages_make_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows, path, queries):
    country, topic, _programme = make_records(rows)
    with django_assert_max_num_queries(queries):
        response = client.get(path.format(country=country.slug, topic=topic.slug))
    assert response.status_code == 200


def test_a_long_story_shows_the_latest_records_and_says_it_cut(client, monkeypatch):
    from dialogues_portal import statistics
    from tests.factories import make_country, make_project

    monkeypatch.setattr(statistics, "STORY_LIMIT", 3)
    country = make_country("KZ", slug="kazakhstan", name="Kazakhstan")
    for year in range(2001, 2006):
        make_project(
            countries=[country],
            title=f"Project of {year}",
            starts_on=datetime.date(year, 1, 1),
            starts_on_precision="year",
        )
    with translation.override("en"):
        html = client.get("/en/countries/kazakhstan/").content.decode()
    shown = [year for year in range(2001, 2006) if f"Project of {year}" in html]
    assert shown == [2003, 2004, 2005]  # the latest three
    assert "The timeline shows the latest 3 records of each kind" in html
