"""The follow-up tracker's pages: /concerns/ and its filters, a concern's story, a country's
concerns, the country x topic matrix with its CSV, the status-change feeds; drafts and bad input."""

import csv
import io
import random
import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from dialogues.models import Concern, ConcernEntry, ConcernStatus, Country, DialogueRound, Topic
from funding.models import Project
from tests.factories import (
    DRAFT,
    PUBLISHED,
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

BAD_FILTERS = ["as_of=2021-13-45", "as_of=yesterday", "status=bogus", "year_from=abc", "year_to=99999", "country=XX"]


def listed(response):
    assert response.status_code == 200
    return [concern.slug for concern, _state in response.context["rows"]]


# --- /concerns/ --------------------------------------------------------------------------------------


def test_listing_shows_published_concerns_with_their_current_status(client, kazakhstan):
    concern = make_concern(country=kazakhstan, title="Release of detained journalists", slug="journalists")
    make_entry(concern, held(kazakhstan, 2019), status="commitment", asserted_by="partner_government")
    make_concern(country=kazakhstan, title="Secret draft concern", publication_status=DRAFT)
    response = client.get("/en/concerns/")
    assert listed(response) == ["journalists"]
    body = response.content.decode()
    assert "Release of detained journalists" in body and "Secret draft concern" not in body
    assert "Partner commitment" in body and "according to the partner government" in body


def test_concern_of_a_draft_country_is_not_listed(client):
    hidden = make_country("XX", name="Hidden country", publication_status=DRAFT)
    make_concern(country=hidden, slug="of-a-draft-country")
    assert listed(client.get("/en/concerns/")) == []


def test_filter_by_country_and_topic(client, kazakhstan, kyrgyzstan):
    media = make_topic(slug="media-freedom")
    make_concern(country=kazakhstan, slug="kz-media", topics=[media])
    make_concern(country=kazakhstan, slug="kz-other")
    make_concern(country=kyrgyzstan, slug="kg-media", topics=[media])
    assert sorted(listed(client.get("/en/concerns/?country=kz"))) == ["kz-media", "kz-other"]
    assert sorted(listed(client.get("/en/concerns/?country=KZ,KG&topic=media-freedom"))) == ["kg-media", "kz-media"]
    assert listed(client.get("/en/concerns/?country=KG&topic=media-freedom")) == ["kg-media"]


def test_filter_by_current_status_reads_the_latest_entry(client, kazakhstan):
    resolved = make_concern(country=kazakhstan, slug="resolved-since")
    make_entry(resolved, held(kazakhstan, 2010), status="raised")
    make_entry(resolved, held(kazakhstan, 2012), status="resolved")
    raised = make_concern(country=kazakhstan, slug="still-raised")
    make_entry(raised, held(kazakhstan, 2011), status="raised")
    make_concern(country=kazakhstan, slug="no-entry")
    assert listed(client.get("/en/concerns/?status=raised")) == ["still-raised"]
    assert listed(client.get("/en/concerns/?status=resolved")) == ["resolved-since"]
    assert listed(client.get("/en/concerns/?status=progress")) == []


def test_filter_by_status_as_of_a_date(client, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="resolved-in-2012")
    make_entry(concern, held(kazakhstan, 2010), status="raised")
    make_entry(concern, held(kazakhstan, 2012), status="resolved")
    assert listed(client.get("/en/concerns/?status=raised&as_of=2011-01-01")) == ["resolved-in-2012"]
    assert listed(client.get("/en/concerns/?status=raised")) == []
    response = client.get("/en/concerns/?as_of=2011-01-01")
    assert b"?as_of=2011-01-01" in response.content  # the row links to the story as of the same date


def test_filter_by_stagnation(client, kazakhstan):
    stagnant = make_concern(country=kazakhstan, slug="stagnant")
    moving = make_concern(country=kazakhstan, slug="moving")
    for year in (2010, 2011, 2012):
        dialogue_round = held(kazakhstan, year)
        make_entry(stagnant, dialogue_round, status="raised")
        make_entry(moving, dialogue_round, status="raised" if year < 2012 else "progress")
    assert listed(client.get("/en/concerns/?stagnant=true")) == ["stagnant"]
    assert listed(client.get("/en/concerns/?stagnant=false")) == ["moving"]
    # as of 2011 neither has had three rounds yet
    assert listed(client.get("/en/concerns/?stagnant=true&as_of=2011-12-31")) == []
    assert b"stagnant" in client.get("/en/concerns/").content


def test_filter_by_years_keeps_concerns_with_an_entry_in_them(client, kazakhstan):
    early = make_concern(country=kazakhstan, slug="early")
    make_entry(early, held(kazakhstan, 2009), status="raised")
    late = make_concern(country=kazakhstan, slug="late")
    make_entry(late, stated_on=day(2015, 3, 1), status="raised")
    make_entry(late, held(kazakhstan, 2016), status="raised", publication_status=DRAFT)
    assert listed(client.get("/en/concerns/?year_from=2010")) == ["late"]
    assert listed(client.get("/en/concerns/?year_to=2010")) == ["early"]
    assert listed(client.get("/en/concerns/?year_from=2016&year_to=2016")) == []  # a draft entry counts for nothing
    assert listed(client.get("/en/concerns/?year_from=2015&as_of=2014-12-31")) == []


def test_search_finds_words_of_the_title_and_summary(client, kazakhstan):
    make_concern(country=kazakhstan, slug="torture", title="Investigation of torture allegations")
    make_concern(country=kazakhstan, slug="ngo-law", title="NGO law", summary="Registration of foreign-funded groups")
    assert listed(client.get("/en/concerns/?q=torture")) == ["torture"]
    assert listed(client.get("/en/concerns/?q=foreign-funded")) == ["ngo-law"]


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_bad_filter_value_shows_the_form_error_and_no_rows(client, kazakhstan, query):
    make_entry(make_concern(country=kazakhstan), held(kazakhstan, 2010))
    response = client.get(f"/en/concerns/?{query}")
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert b"Some filters could not be understood" in response.content
    assert b"errorlist" in response.content


# --- A concern's story -------------------------------------------------------------------------------


def test_story_shows_each_step_with_its_source_linked(client, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="journalists", title="Detained journalists")
    readout = make_source(title="EEAS readout 2019", url="https://example.org/readout-2019", publisher="EEAS")
    briefing = make_source(title="NGO briefing", url="https://example.org/briefing")
    memo = make_source(title="Unpublished memo", url="https://example.org/memo", publication_status=DRAFT)
    make_entry(
        concern, held(kazakhstan, 2019), status="raised", statement="The EU raised two cases.", sources=[readout, memo]
    )
    make_entry(
        concern,
        stated_on=day(2020, 2, 1),
        stated_on_precision="month",
        occasion="Briefing before the round",
        status="not_mentioned",
        asserted_by="civil_society",
        sources=[briefing],
    )
    body = client.get("/en/concerns/journalists/").content.decode()
    assert "The EU raised two cases." in body
    assert 'href="https://example.org/readout-2019"' in body and "EEAS readout 2019" in body
    assert 'href="https://example.org/briefing"' in body and "Briefing before the round" in body
    assert "Unpublished memo" not in body and "https://example.org/memo" not in body
    assert "February 2020" in body  # the statement's date as precise as it is known
    assert body.index("The EU raised two cases.") < body.index("Briefing before the round")  # oldest first


def test_story_as_of_a_date_leaves_out_what_came_after(client, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="story")
    make_entry(concern, held(kazakhstan, 2010), status="raised", statement="First raised.")
    make_entry(concern, held(kazakhstan, 2014), status="resolved", statement="Finally resolved.")
    response = client.get("/en/concerns/story/?as_of=2012-01-01")
    assert response.context["state"].current_status == "raised"
    body = response.content.decode()
    assert "First raised." in body and "Finally resolved." not in body
    assert "Finally resolved." in client.get("/en/concerns/story/").content.decode()


def test_story_with_a_bad_as_of_says_so_and_shows_the_whole_story(client, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="story")
    make_entry(concern, held(kazakhstan, 2014), status="resolved", statement="Finally resolved.")
    response = client.get("/en/concerns/story/?as_of=2021-13-45")
    assert response.status_code == 200
    assert response.context["as_of"] is None and response.context["as_of_error"]
    assert b'aria-invalid="true"' in response.content and b"Finally resolved." in response.content


def test_draft_concern_is_404_for_the_public(client, kazakhstan):
    make_concern(country=kazakhstan, slug="draft", publication_status=DRAFT)
    assert client.get("/en/concerns/draft/").status_code == 404
    assert client.get("/en/concerns/nowhere/").status_code == 404


def test_concern_of_a_draft_country_is_404_for_the_public(client):
    hidden = make_country("XX", name="Hidden country", publication_status=DRAFT)
    make_concern(country=hidden, slug="of-a-draft-country")
    assert client.get("/en/concerns/of-a-draft-country/").status_code == 404


def test_story_counts_a_packages_total_once(client, kazakhstan):
    concern = make_concern(country=kazakhstan, slug="funded")
    package = make_call(total_amount_eur=Decimal("1200000"), year=2009)
    for amount in (Decimal("300000"), None):
        make_project(programme=package.programme, call=package, countries=[kazakhstan], eu_contribution_eur=amount)
    for project in Project.objects.all():
        project.concerns.add(concern)
    response = client.get("/en/concerns/funded/")
    assert response.context["contribution"].total == Decimal("1200000")
    assert response.context["contribution"].packages_counted == 1


# --- A country's concerns ------------------------------------------------------------------------------


def test_country_concerns_are_grouped_by_current_status(client, kazakhstan, kyrgyzstan):
    raised = make_concern(country=kazakhstan, title="Still raised")
    make_entry(raised, held(kazakhstan, 2010), status="raised")
    resolved = make_concern(country=kazakhstan, title="Now resolved")
    make_entry(resolved, held(kazakhstan, 2010), status="resolved")
    make_concern(country=kazakhstan, title="Nothing yet")
    make_concern(country=kazakhstan, title="Draft one", publication_status=DRAFT)
    make_concern(country=kyrgyzstan, title="Another country's")
    response = client.get("/en/countries/kazakhstan/concerns/")
    groups = {str(label): [c.title for c, _state in rows] for label, rows in response.context["groups"]}
    assert groups == {"raised": ["Still raised"], "resolved": ["Now resolved"]}
    assert [c.title for c, _state in response.context["unrecorded"]] == ["Nothing yet"]
    body = response.content.decode()
    assert "Draft one" not in body and "Another country&#x27;s" not in body


def test_country_concerns_as_of_a_date_and_a_bad_date(client, kazakhstan):
    concern = make_concern(country=kazakhstan, title="Resolved in 2012")
    make_entry(concern, held(kazakhstan, 2010), status="raised")
    make_entry(concern, held(kazakhstan, 2012), status="resolved")
    as_of = client.get("/en/countries/kazakhstan/concerns/?as_of=2011-01-01")
    assert [str(label) for label, _rows in as_of.context["groups"]] == ["raised"]
    bad = client.get("/en/countries/kazakhstan/concerns/?as_of=2021-13-45")
    assert bad.status_code == 200 and bad.context["as_of_error"]
    assert [str(label) for label, _rows in bad.context["groups"]] == ["resolved"]


def test_country_concerns_of_a_draft_country_is_404(client):
    make_country("XX", slug="hidden", publication_status=DRAFT)
    assert client.get("/en/countries/hidden/concerns/").status_code == 404


# --- The matrix, checked record by record ----------------------------------------------------------


def random_record(seed):
    """A small random record: rounds, concerns and their entries, projects in packages; drafts among them."""
    rng = random.Random(seed)
    countries = [make_country(code) for code in ("KZ", "KG", "TJ")] + [make_country("XX", publication_status=DRAFT)]
    topics = [make_topic() for _ in range(4)] + [make_topic(publication_status=DRAFT)]

    def status():
        return DRAFT if rng.random() < 0.15 else PUBLISHED

    rounds = []
    for i in range(14):
        rounds.append(
            held(
                rng.choice(countries),
                2005 + i,
                rng.randint(1, 12),
                rng.randint(1, 28),
                topics=rng.sample(topics, rng.randint(0, 2)),
                publication_status=status(),
            )
        )
    for _ in range(10):
        country = rng.choice(countries)
        concern = make_concern(
            country=country, topics=rng.sample(topics, rng.randint(1, 2)), publication_status=status()
        )
        for dialogue_round in rounds:
            if dialogue_round.country_id == country.pk and rng.random() < 0.6:
                make_entry(
                    concern, dialogue_round, status=rng.choice(ConcernStatus.values), publication_status=status()
                )
        if rng.random() < 0.4:
            make_entry(
                concern,
                stated_on=day(rng.randint(2005, 2020), rng.randint(1, 12), 1),
                status=rng.choice(ConcernStatus.values),
                publication_status=status(),
            )
    programmes = [make_programme(), make_programme()]
    package = make_call(programme=programmes[0], total_amount_eur=Decimal("500000"), year=2010)
    part = make_call(programme=programmes[0], parent=package, total_amount_eur=Decimal("200000"), year=2010)
    no_total = make_call(programme=programmes[1], year=2012)
    draft_call = make_call(programme=programmes[1], total_amount_eur=Decimal("90000"), publication_status=DRAFT)
    for _ in range(12):
        programme = rng.choice(programmes)
        make_project(
            programme=programme,
            countries=rng.sample(countries, rng.randint(1, 2)),
            topics=rng.sample(topics, rng.randint(0, 2)),
            call=rng.choice([None, package, part, part, no_total, draft_call]),
            eu_contribution_eur=rng.choice([None, Decimal(rng.randrange(1000, 90000))]),
            publication_status=status(),
        )


def expected_matrix():
    """{(iso code, topic slug): (rounds, concerns, latest status, projects, known EUR or None)},
    computed from the records one by one, for the cells with anything in them."""
    countries = [c for c in Country.objects.all() if c.is_published]
    topics = [t for t in Topic.objects.all() if t.is_published]
    cells = {}
    for country in countries:
        rounds = [r for r in DialogueRound.objects.filter(country=country) if r.is_published]
        concerns = [c for c in Concern.objects.filter(country=country) if c.is_published]
        entries = {
            c.pk: [
                e
                for e in ConcernEntry.objects.filter(concern=c).select_related("dialogue_round")
                if e.is_published and (e.dialogue_round is None or e.dialogue_round.is_published)
            ]
            for c in concerns
        }
        for topic in topics:
            raised = {r.pk for r in rounds if topic in r.topics.all()}
            under = [c for c in concerns if topic in c.topics.all() and entries[c.pk]]
            latest = None
            for concern in under:
                for entry in entries[concern.pk]:
                    if entry.dialogue_round and entry.status != "not_mentioned":
                        raised.add(entry.dialogue_round.pk)
                    on = entry.dialogue_round.held_on if entry.dialogue_round else entry.stated_on
                    if latest is None or (on, entry.pk) > latest[:2]:
                        latest = (on, entry.pk, entry.status)
            projects = [
                p
                for p in Project.objects.filter(countries=country, topics=topic).select_related("call__parent")
                if p.is_published
            ]
            if raised or under or projects:
                total = expected_contribution(projects) if projects else None
                cells[(country.iso_code, topic.slug)] = (
                    len(raised),
                    len(under),
                    latest[2] if latest else "",
                    len(projects),
                    total,
                )
    return cells


def expected_contribution(projects):
    """A package's total where all its published projects are among `projects`, else each known amount."""
    ids = {p.pk for p in projects}
    calls = {c.pk: c for p in projects for c in (p.call, p.call and p.call.parent) if c}
    packages = {pk: c for pk, c in calls.items() if c.is_published and c.total_amount_eur is not None}
    whole = set()
    for pk in packages:
        members = {
            p.pk for p in Project.objects.all() if p.is_published and pk in (p.call_id, p.call and p.call.parent_id)
        }
        if members <= ids:
            whole.add(pk)
    total, known = Decimal(0), False
    for pk in whole:
        if packages[pk].parent_id not in whole:
            total, known = total + packages[pk].total_amount_eur, True
    for project in projects:
        if {project.call_id, project.call and project.call.parent_id} & whole:
            continue
        if project.eu_contribution_eur is not None:
            total, known = total + project.eu_contribution_eur, True
    return total if known else None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matrix_page_figures_agree_with_the_records(client, seed):
    random_record(seed)
    expected = expected_matrix()
    response = client.get("/en/matrix/")
    assert response.status_code == 200
    table = response.context["table"]
    assert [c.iso_code for c in table.countries] == ["KG", "KZ", "TJ"]  # by name; not the draft one
    found = {}
    for topic, cells in table.rows():
        for cell in cells:
            if cell.rounds or cell.concerns or cell.projects:
                found[(cell.country.iso_code, topic.slug)] = (
                    cell.rounds,
                    cell.concerns,
                    cell.latest_status,
                    cell.projects,
                    cell.funding_total,
                )
    assert found == expected
    assert {t.slug for t in table.topics} == {slug for _code, slug in expected}
    assert b"Country XX" not in response.content  # the draft country has no column


@pytest.mark.parametrize("seed", [1, 4])
def test_matrix_csv_agrees_with_the_records(client, seed):
    random_record(seed)
    expected = expected_matrix()
    response = client.get("/en/matrix/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == (
        "country",
        "country_name",
        "topic",
        "topic_name",
        "rounds_raised",
        "concerns",
        "latest_status",
        "projects",
        "projects_from_iati",
        "known_eu_contribution_eur",
    )
    found = {
        (code, slug): (int(rounds), int(concerns), status, int(projects), Decimal(total) if total else None)
        for code, _name, slug, _topic, rounds, concerns, status, projects, iati, total in rows[1:]
        if iati == "0"  # the random record is editorial; tests/funding/test_iati_figures.py counts IATI ones
    }
    assert found == expected
    assert len(rows) - 1 == len(expected)  # one row a filled cell, none twice


def test_matrix_counts_a_round_raising_a_topic_once_and_not_a_not_mentioned(client, kazakhstan):
    topic = make_topic(slug="torture")
    both = held(kazakhstan, 2010, topics=[topic])  # among its topics and with an entry
    silent = held(kazakhstan, 2011)
    draft = held(kazakhstan, 2012, publication_status=DRAFT)
    concern = make_concern(country=kazakhstan, topics=[topic])
    make_entry(concern, both, status="raised")
    make_entry(concern, silent, status="not_mentioned")
    make_entry(concern, draft, status="resolved")
    cell = client.get("/en/matrix/").context["table"].cells[(kazakhstan.pk, topic.pk)]
    assert (cell.rounds, cell.concerns, cell.latest_status) == (1, 1, "not_mentioned")


# --- Feeds -----------------------------------------------------------------------------------------------


def entry_ids(body):
    """The entries a feed links to (each item's link and id end in #entry-<pk>)."""
    return {int(pk) for pk in re.findall(r"#entry-(\d+)", body)}


@pytest.fixture
def history(kazakhstan, kyrgyzstan):
    """KZ: raised, raised again, a draft "resolved", commitment; KG: raised; a draft concern's entry."""
    concern = make_concern(country=kazakhstan, slug="kz-concern", title="KZ concern")
    entries = {
        "first": make_entry(concern, held(kazakhstan, 2010), status="raised"),
        "repeated": make_entry(concern, held(kazakhstan, 2011), status="raised"),
        "draft": make_entry(concern, held(kazakhstan, 2012), status="resolved", publication_status=DRAFT),
        "changed": make_entry(concern, held(kazakhstan, 2013), status="commitment"),
    }
    other = make_concern(country=kyrgyzstan, slug="kg-concern", title="KG concern")
    entries["elsewhere"] = make_entry(other, held(kyrgyzstan, 2014), status="raised")
    hidden = make_concern(country=kazakhstan, slug="draft-concern", publication_status=DRAFT)
    entries["of-draft-concern"] = make_entry(hidden, held(kazakhstan, 2015), status="raised")
    return {name: entry.pk for name, entry in entries.items()}


def test_status_changes_feed_carries_changes_not_repeats_nor_drafts(client, history):
    response = client.get("/en/feeds/status-changes/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert entry_ids(body) == {history["first"], history["changed"], history["elsewhere"]}
    assert "KZ concern (Kazakhstan): partner commitment" in body


def test_concern_feed_has_only_that_concerns_changes(client, history):
    body = client.get("/en/concerns/kz-concern/feed/").content.decode()
    assert entry_ids(body) == {history["first"], history["changed"]}
    assert client.get("/en/concerns/draft-concern/feed/").status_code == 404


def test_country_status_feed_has_only_that_countrys_changes(client, history):
    assert entry_ids(client.get("/en/countries/kazakhstan/concerns/feed/").content.decode()) == {
        history["first"],
        history["changed"],
    }
    assert entry_ids(client.get("/en/countries/kyrgyz-republic/concerns/feed/").content.decode()) == {
        history["elsewhere"]
    }


def test_status_feeds_leave_out_a_draft_countrys_concerns(client):
    hidden = make_country("XX", slug="hidden", publication_status=DRAFT)
    entry = make_entry(make_concern(country=hidden, slug="hidden-concern"), held(hidden, 2010))
    assert entry.pk not in entry_ids(client.get("/en/feeds/status-changes/").content.decode())
    assert client.get("/en/countries/hidden/concerns/feed/").status_code == 404
    assert client.get("/en/concerns/hidden-concern/feed/").status_code == 404


# --- Queries that do not grow with the rows --------------------------------------------------------------


def tracker_records(n):
    """`n` concerns of one country under one topic, each with entries at the country's last three of
    `n` + 2 rounds (stagnant); the first concern also has `n` statements and `n` projects linked."""
    country = make_country("KZ", name="Kazakhstan", slug="kazakhstan")
    topic = make_topic(slug="torture")
    source = make_source(url="https://example.org/readout")
    rounds = [held(country, 2000 + i, topics=[topic], sources=[source]) for i in range(n + 2)]
    concerns = [make_concern(country=country, topics=[topic], sources=[source]) for _ in range(n)]
    for concern in concerns:
        for dialogue_round in rounds[-3:]:
            make_entry(concern, dialogue_round, status="raised", sources=[source])
    first = concerns[0]
    for i in range(n):
        make_entry(first, stated_on=day(1990 + i), status="raised", sources=[source])
    package = make_call(total_amount_eur=Decimal("1000"), year=2010)
    for i in range(n):
        project = make_project(
            programme=package.programme,
            call=package if i % 2 else None,
            countries=[country],
            topics=[topic],
            sources=[source],
            eu_contribution_eur=Decimal(100 + i),
        )
        project.concerns.add(first)
    return first


# Each request's queries, listed beside its maximum.
QUERY_BUDGETS = [
    # count (1), per-option counts of country and topic (2), the country and topic options (2), the
    # page of concerns with their country and current status (1), their topics (1) and sources (1),
    # their public entries (1) and their countries' rounds (1)
    ("/en/concerns/", 10),
    # as above, plus validating the country and topic (2); for `stagnant`: the filtered concerns (1)
    # with their topics and sources (2), their entries (1) and rounds (1)
    (
        "/en/concerns/?country=KZ&topic=torture&status=raised&stagnant=true&year_from=1990&as_of=2030-01-01&q=Concern",
        17,
    ),
    # the concern with its country (1), topics (1), sources (1); its entries with their rounds (1), their
    # sources (1), citations (1) and the content type of those (1, cached once read); the country's rounds
    # (1); the projects (1) with their countries, topics and sources (3); seminars (1); recommendations (1)
    ("/en/concerns/{slug}/", 14),
    ("/en/concerns/{slug}/?as_of=2010-01-01", 14),
    # the country (1), its concerns (1) with their sources (1), their entries (1), the country's rounds (1)
    ("/en/countries/kazakhstan/concerns/", 5),
    # countries (1), topics (1), rounds' topics (1), concerns' topics (1), entries (1), projects (1) with
    # their countries (1) and topics (1); the package's members for the known contribution (1 a cell)
    ("/en/matrix/", 9),
    ("/en/matrix/export.csv", 9),
    # concerns (1), their entries (1) with sources (1) and citations (1), the countries' rounds (1);
    # the feed's concern or country (1)
    ("/en/feeds/status-changes/", 6),
    ("/en/concerns/{slug}/feed/", 7),
    ("/en/countries/kazakhstan/concerns/feed/", 7),
]


@pytest.mark.parametrize("rows", [1, 20])
def test_tracker_pages_make_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    first = tracker_records(rows)
    for path, queries in QUERY_BUDGETS:
        cache.clear()  # each page computed afresh, none from another's cached figures
        with django_assert_max_num_queries(queries, info=path):
            response = client.get(path.format(slug=first.slug))
        assert response.status_code == 200, path


@pytest.mark.parametrize(
    "cells",
    [1, 20],
)
def test_matrix_queries_do_not_grow_with_its_cells(client, django_assert_max_num_queries, cells):
    country = make_country("KZ")
    programme = make_programme()
    for _ in range(cells):
        topic = make_topic()
        package = make_call(programme=programme, total_amount_eur=Decimal("1000"), year=2010)
        make_project(programme=programme, call=package, countries=[country], topics=[topic])
    # as for /matrix/ above: 8, and the members of the cells' packages (1)
    with django_assert_max_num_queries(9):
        response = client.get("/en/matrix/")
    assert len(response.context["table"].topics) == cells


def test_matrix_csv_names_that_start_a_formula_get_an_apostrophe(client, kazakhstan):
    held(kazakhstan, 2010, topics=[make_topic(name="=HYPERLINK(1)", slug="formula")])
    rows = list(csv.reader(io.StringIO(client.get("/en/matrix/export.csv").content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["'=HYPERLINK(1)"]
