"""Editors preview a draft's public page before it is published; the public still gets 404."""

import pytest
from django.utils import translation

from tests.factories import make_project, make_round, make_seminar

pytestmark = pytest.mark.django_db

DRAFTS = {"project": make_project, "round": make_round, "seminar": make_seminar}


@pytest.mark.parametrize("kind", DRAFTS)
def test_the_public_gets_404_for_a_draft(client, kind):
    draft = DRAFTS[kind](publication_status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", DRAFTS)
def test_an_editor_previews_a_draft_and_no_shared_cache_keeps_it(editor_client, kind):
    draft = DRAFTS[kind](publication_status="draft")
    with translation.override("en"):
        response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_published_page_has_no_draft_banner(editor_client):
    published = make_project()
    response = editor_client.get(published.get_absolute_url())
    assert response.status_code == 200 and "Draft preview" not in response.content.decode()


def test_staff_without_the_permission_cannot_preview(client, staff_without_permissions):
    client.force_login(staff_without_permissions)
    draft = make_project(publication_status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
