"""Ranked full-text search on PostgreSQL: the best matches first, computed once per search and
filter state, never stale after an edit, drafts only for those who may see them."""

import pytest
from django.db import connection

from dialogues import search as search_module
from dialogues.publishing import PublicationStatus
from funding.models import Project
from tests.factories import make_country, make_project

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search ranks on PostgreSQL"),
]


def titles(response):
    return [row["title"] for row in response.json()["results"]]


def test_the_best_match_comes_first(api):
    make_project(title="Legal aid", summary="Torture prevention in prisons.")
    make_project(title="Torture prevention", summary="Monitoring torture; training on torture cases.")
    make_project(title="Media freedom", summary="Journalism training.")
    assert titles(api.get("/api/v1/projects/?q=torture")) == ["Torture prevention", "Legal aid"]


def test_an_edit_shows_in_the_next_search(api, client):
    make_project(title="Torture prevention")
    assert titles(api.get("/api/v1/projects/?q=torture")) == ["Torture prevention"]
    make_project(title="Torture rehabilitation")  # the ranked ids of "torture" are cached: not any more
    assert sorted(titles(api.get("/api/v1/projects/?q=torture"))) == ["Torture prevention", "Torture rehabilitation"]
    page = client.get("/en/funding/projects/?q=torture").content.decode()
    assert "<mark>Torture</mark> rehabilitation" in page  # the words found are marked


def test_drafts_are_found_only_by_those_who_may_see_them(api, client, editor):
    make_project(title="Torture prevention")
    make_project(title="Torture archive", publication_status=PublicationStatus.DRAFT)
    assert titles(api.get("/api/v1/projects/?q=torture")) == ["Torture prevention"]
    assert "Torture archive" not in client.get("/en/funding/projects/?q=torture").content.decode()
    api.force_authenticate(editor)
    assert sorted(titles(api.get("/api/v1/projects/?q=torture"))) == ["Torture archive", "Torture prevention"]


def test_search_combines_with_filters_and_counts_options(client):
    kazakhstan, kyrgyzstan = make_country(iso_code="KZ", name="Kazakhstan"), make_country(iso_code="KG")
    make_project(title="Torture prevention", countries=[kazakhstan])
    make_project(title="Torture monitoring", countries=[kyrgyzstan])
    make_project(title="Media freedom", countries=[kazakhstan])
    response = client.get("/en/funding/projects/?q=torture&country=KZ")
    assert [project.title for project in response.context["object_list"]] == ["Torture prevention"]
    assert response.context["option_counts"]["country"] == {"KZ": 1, "KG": 1}


def test_only_the_first_candidates_are_ranked(api, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_CANDIDATES", 2)
    for number in range(3):
        make_project(title=f"Torture prevention {number}")
    assert len(titles(api.get("/api/v1/projects/?q=torture"))) == 2
    assert Project.objects.count() == 3
