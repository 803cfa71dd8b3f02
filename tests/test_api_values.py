"""Listings built from values (dialogues/api/values.py) answer exactly what DRF's serializers answer.

Every list endpoint of the router, for the public, an editor and a user who may change projects
only, over the real data and records with drafts (draft related records among them), unknown and
partial dates, unknown amounts and Cyrillic text: the same bytes, page after page, filtered and
sorted, and the same errors. And they are on that path: no record of the listing is built as a
model instance, and the number of queries does not grow with the rows.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from dialogues.api.views import PublishableViewSet
from dialogues.models import Country, DialogueRound, Topic
from dialogues_portal.api_urls import router
from dialogues_portal.roles import CONTENT_APPS
from funding.api.serializers import ProjectSerializer
from funding.api.views import ProjectViewSet
from tests.api_helpers import as_user
from tests.factories import (
    DRAFT,
    make_call,
    make_country,
    make_organisation,
    make_place,
    make_programme,
    make_project,
    make_round,
    make_seminar,
    make_source,
    make_topic,
)

# the record listings (the tracker's concerns are read-only and built from their derived state)
REGISTRY = [
    (prefix, viewset, basename)
    for prefix, viewset, basename in router.registry
    if issubclass(viewset, PublishableViewSet)
]
LISTINGS = {basename: viewset for _prefix, viewset, basename in REGISTRY}
PATHS = {basename: f"/api/v1/{prefix}/" for prefix, _viewset, basename in REGISTRY}
MODELS = {path: LISTINGS[basename].model for basename, path in PATHS.items()}

# Every value a filter of some listing takes; a listing gets those of its own FilterSet. Some are
# errors on purpose (a draft country, a kind another listing has): errors must match too.
FILTER_VALUES = {
    "country": ["KZ", "kz,UZ", "QQ"],
    "topic": ["rule-of-law", "draft-topic"],
    "programme": ["eidhr", "programme-ru", "draft-programme"],
    "year_from": ["2010", "abc"],
    "year_to": ["2012"],
    "status": ["completed"],
    "min_amount": ["1000"],
    "max_amount": ["300000"],
    "scope": ["regional"],
    "format": ["structured"],
    "kind": ["ngo", "forum"],
    "q": ["права", "human rights", "Юридическая помощь"],
}
# Pagination: its errors, a page past the end, a bad cursor (projects), a page number on a listing
# that pages by cursor otherwise.
PAGINATION_QUERIES = ["page=2&page_size=3", "page=99", "page=0", "page_size=abc", "page_size=999", "cursor=garbage"]


@pytest.fixture
def records(real_data_shared):
    """Beside the real data: drafts, drafts among published records' relations, dates at every
    precision and unknown, unknown amounts, Cyrillic names."""
    kz, uz = Country.objects.get(iso_code="KZ"), Country.objects.get(iso_code="UZ")
    rule_of_law = Topic.objects.get(slug="rule-of-law")
    draft_country = make_country(
        "QQ",
        name="Черновая страна",
        publication_status=DRAFT,
        dialogue_started_on=datetime.date(2008, 6, 1),
        dialogue_started_on_precision="month",
    )
    draft_topic = make_topic(name="Черновая тема", slug="draft-topic", publication_status=DRAFT)
    report = make_source(
        title="Доклад о правах человека",
        publisher="ОБСЕ",
        kind="report",
        published_on=datetime.date(2019, 1, 1),
        published_on_precision="year",
        url="https://example.org/доклад",
    )
    draft_source = make_source(title="A draft source", publication_status=DRAFT)
    make_topic(name="Права человека", slug="human-rights-ru", sources=[report, draft_source])
    draft_programme = make_programme(name="Черновая программа", slug="draft-programme", publication_status=DRAFT)
    programme = make_programme(
        name="Программа поддержки",
        slug="programme-ru",
        predecessor=draft_programme,
        scope="regional",
        envelope_eur=Decimal("1500000.50"),
        launched_on=datetime.date(2007, 6, 1),
        launched_on_precision="month",
        sources=[report, draft_source],
    )
    programme.countries.set([kz, draft_country, uz])
    call = make_call(
        programme=draft_programme,
        country=draft_country,
        year=2012,
        announced_on=datetime.date(2012, 3, 15),
        announced_on_precision="day",
        sources=[report, draft_source],
    )
    call.places.set([make_place(kz, name="Алматы"), make_place(uz, name="Tashkent", kind="region")])
    draft_call = make_call(programme=programme, country=kz, publication_status=DRAFT)
    make_call(programme=programme, year=2011, total_amount_eur=Decimal("670000.00"), project_count=3)
    make_project(
        title="Правовая помощь задержанным",
        summary="Юридическая помощь: права человека.",
        programme=draft_programme,
        call=call,
        countries=[kz, draft_country],
        topics=[rule_of_law, draft_topic],
        sources=[report, draft_source],
    )
    make_project(
        title="Human rights monitoring",
        programme=programme,
        call=draft_call,
        countries=[uz],
        eu_contribution_eur=Decimal("250000.00"),
        starts_on=datetime.date(2011, 6, 1),
        starts_on_precision="month",
        ends_on=datetime.date(2013, 1, 1),
        ends_on_precision="year",
        duration_months=19,
        status="completed",
    )
    make_project(
        title="A draft project",
        programme=programme,
        countries=[kz],
        publication_status=DRAFT,
        starts_on=datetime.date(2012, 3, 9),
        starts_on_precision="day",
    )
    for year in (2009, 2011, 2014):
        make_project(
            programme=programme, countries=[kz], starts_on=datetime.date(year, 1, 1), starts_on_precision="year"
        )
    make_project(title="Undated", programme=programme, countries=[kz, uz], eu_contribution_eur=Decimal("1000.00"))
    make_organisation(name="Бюро по правам человека", acronym="KIBHR", country=draft_country, sources=[draft_source])
    make_organisation(name="Without a country", kind="international", website="https://example.org/")
    make_organisation(name="A draft organisation", country=kz, publication_status=DRAFT)
    draft_round = make_round(
        country=kz,
        publication_status=DRAFT,
        held_on=datetime.date(2011, 1, 1),
        held_on_precision="year",
        topics=[rule_of_law, draft_topic],
    )
    make_round(
        country=draft_country,
        held_on=datetime.date(2012, 11, 20),
        held_on_precision="day",
        place="Бишкек",
        sources=[report, draft_source],
    )
    make_seminar(
        title="Семинар гражданского общества",
        countries=[kz, draft_country],
        dialogue_round=draft_round,
        held_on=None,
        held_on_precision="",
        date_note="весной",
        topics=[draft_topic, rule_of_law],
    )
    make_seminar(
        kind="forum",
        countries=[uz],
        dialogue_round=DialogueRound.objects.published().first(),
        participating_organisations=40,
        participating_organisations_qualifier="more_than",
        held_on=datetime.date(2010, 11, 24),
        held_on_precision="day",
    )
    make_seminar(title="A draft seminar", countries=[kz], publication_status=DRAFT)


@pytest.fixture
def project_editor(db):
    """May change projects (and so see draft projects) but not programmes, countries or sources."""
    user = get_user_model().objects.create_user("project-editor", password="a-long-test-password", is_staff=True)
    user.user_permissions.set([Permission.objects.get(codename="change_project")])
    return user


@pytest.fixture
def readers(api, editor, project_editor):
    return {"public": api, "editor": as_user(editor), "project editor": as_user(project_editor)}


@contextmanager
def instances_built():
    built = []

    def count(sender, **kwargs):
        if sender._meta.app_label in CONTENT_APPS:
            built.append(sender)

    post_init.connect(count)
    try:
        yield built
    finally:
        post_init.disconnect(count)


def same_from_values_and_instances(client, url, monkeypatch):
    """GET `url` both ways: the response built from values, checked equal to DRF's."""
    cache.clear()  # the anonymous rate limit
    model = MODELS[urlsplit(url).path]
    with instances_built() as built:
        fast = client.get(url)
    with monkeypatch.context() as patched:
        patched.setattr(PublishableViewSet, "list_from_values", False)
        slow = client.get(url)
    assert (fast.status_code, fast.content) == (slow.status_code, slow.content), url
    assert model not in built, f"{url}: {model.__name__} instances built"
    return fast


FOLLOWED_PAGES = 12  # the real record's sources fill 150 pages of two: the first 12 show the way


def follow(client, url, monkeypatch, link="next"):
    """Every page from `url` on (up to FOLLOWED_PAGES), following `link`: the URLs visited."""
    visited = []
    while url and len(visited) < FOLLOWED_PAGES:
        visited.append(url)
        response = same_from_values_and_instances(client, url, monkeypatch)
        url = response.json()[link] if response.status_code == 200 else None
    return visited


def queries_for(viewset):
    filters = viewset.filterset_class.base_filters
    queries = [f"{name}={value}" for name, values in FILTER_VALUES.items() if name in filters for value in values]
    if "ordering" in filters:
        queries += [f"ordering={sign}{key}" for key in filters["ordering"].param_map for sign in ("", "-")]
    return queries


@pytest.mark.parametrize("basename", sorted(LISTINGS))
def test_a_listing_from_values_equals_the_serializers(basename, records, readers, monkeypatch):
    path = PATHS[basename]
    for name, reader in readers.items():
        # the whole listing, then two records a page to the end, filtered, sorted, and errors (the
        # project editor differs from the others only in which drafts of to-one relations show)
        same_from_values_and_instances(reader, path, monkeypatch)
        queries = [""] if name == "project editor" else ["", *queries_for(LISTINGS[basename]), *PAGINATION_QUERIES]
        for query in queries:
            follow(reader, f"{path}?{query}&page_size=2", monkeypatch)


def test_project_cursor_pages_from_values_equal_the_serializers_both_ways(records, readers, monkeypatch):
    for reader in readers.values():
        forward = follow(reader, "/api/v1/projects/?page_size=2", monkeypatch)
        assert len(forward) > 3 and "cursor=" in forward[-1]
        backward = follow(reader, forward[-1], monkeypatch, link="previous")
        assert len(backward) == len(forward)
        # filtered: the cursor carries the filters along
        follow(reader, "/api/v1/projects/?country=KZ&page_size=1", monkeypatch)


def test_every_listing_is_read_from_values_without_model_instances(records, readers):
    """A field the values reader does not know sends its listing back to DRF's path, silently
    slower: every listing is named here as on the values path."""
    on_values_path = set(LISTINGS)
    for basename in LISTINGS:
        for reader in readers.values():
            cache.clear()
            with instances_built() as built:
                response = reader.get(PATHS[basename])
            assert response.status_code == 200
            assert response.json()["results"]
            if built:
                on_values_path.discard(basename)
    assert on_values_path == {
        "country",
        "topic",
        "organisation",
        "source",
        "dialogueround",
        "seminar",
        "programme",
        "call",
        "project",
    }


def captured_both_ways(client, url, monkeypatch):
    """The SQL of GET `url` built from values, and built from instances."""
    captured = []
    for from_values in (True, False):
        cache.clear()
        monkeypatch.setattr(PublishableViewSet, "list_from_values", from_values)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        captured.append([query["sql"] for query in queries])
    return captured


@pytest.mark.parametrize("basename", sorted(LISTINGS))
def test_a_listing_from_values_counts_with_the_query_of_the_instance_path(basename, records, api, monkeypatch):
    """Only a page's slice is read as rows: the COUNT is not joined to what the rows show (over a
    million projects, such joins made a numbered page five times slower)."""
    from_values, from_instances = captured_both_ways(api, f"{PATHS[basename]}?page=2&page_size=2", monkeypatch)
    counts = [sql for sql in from_values if "COUNT(" in sql]
    assert counts and counts == [sql for sql in from_instances if "COUNT(" in sql]


def test_a_project_cursor_page_from_values_finds_its_ids_with_the_query_of_the_instance_path(records, api, monkeypatch):
    cursor = api.get("/api/v1/projects/?page_size=2").json()["next"]
    from_values, from_instances = captured_both_ways(api, cursor, monkeypatch)
    assert from_values[0] == from_instances[0]  # the ids after the cursor


class ProjectWithAMethodField(ProjectSerializer):
    shout = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = (*ProjectSerializer.Meta.fields, "shout")

    def get_shout(self, project) -> str:
        return project.title.upper()


def test_a_serializer_field_the_reader_does_not_know_keeps_the_instance_path(records, api, monkeypatch):
    monkeypatch.setattr(ProjectViewSet, "list_serializer_class", ProjectWithAMethodField)
    with instances_built() as built:
        results = api.get("/api/v1/projects/").json()["results"]
    assert built
    assert all(project["shout"] == project["title"].upper() for project in results)


# Queries per page, whatever its number of rows: the COUNT of page numbers (not on the projects'
# cursor pages), the page of rows with its to-one relations joined, then one query per many
# relation (published sources everywhere; topics, countries, places where the listing shows them).
QUERIES_PER_PAGE = {
    "country": 3,  # count, page, sources
    "topic": 3,  # count, page, sources
    "organisation": 3,  # count, page with country, sources
    "source": 2,  # count, page
    "dialogueround": 4,  # count, page with country, topics, sources
    "seminar": 5,  # count, page with round and its country, countries, topics, sources
    "programme": 4,  # count, page with predecessor, countries, sources
    "call": 4,  # count, page with programme and country, places, sources
    "project": 4,  # page with programme and call, countries, topics, sources (no count)
}


@pytest.mark.parametrize("basename", sorted(LISTINGS))
def test_a_listing_makes_the_same_queries_for_one_row_as_for_all(basename, records, editor):
    client = as_user(editor)  # drafts too: the most rows
    client.get(PATHS[basename])  # the user's permissions are loaded once, on the first request
    counts = {}
    for page_size in (1, 500):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{PATHS[basename]}?page_size={page_size}")
        rows = len(response.json()["results"])
        counts[rows] = len(queries)
    assert min(counts) == 1 and max(counts) >= 5
    assert set(counts.values()) == {QUERIES_PER_PAGE[basename]}
