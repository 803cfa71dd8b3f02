"""The admin's autocomplete of a project (select2 asks at each key an editor types): each word is
the beginning of a word, in either language, the best match first; on PostgreSQL through the
stored search document and its index, never a LIKE over a million titles and summaries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues.publishing import PublicationStatus
from tests.factories import make_project

URL = "/admin/autocomplete/"
ON_POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored search document")


def suggested(client, term):
    response = client.get(
        URL, {"term": term, "app_label": "funding", "model_name": "project", "field_name": "duplicate_of"}
    )
    assert response.status_code == 200, term
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def projects(db):
    return [
        make_project(title="Torture prevention in prisons", title_ru="Предотвращение пыток в тюрьмах"),
        make_project(title="Media freedom", summary="Training journalists."),
        make_project(title="Torture archive", publication_status=PublicationStatus.DRAFT),
    ]


def test_the_beginning_of_a_word_finds_the_projects_drafts_included(editor_client, projects):
    assert sorted(suggested(editor_client, "tortu")) == ["Torture archive", "Torture prevention in prisons"]
    assert suggested(editor_client, "media fre") == ["Media freedom"]
    assert suggested(editor_client, "journ") == ["Media freedom"]  # its summary
    assert suggested(editor_client, "zzzqx") == []


@pytest.mark.parametrize(
    "term",
    ["':* & !(", "tort:* | media", "\\", "a' OR '1'='1", "<->", "tortu " * 50, "((", "!!!", "&"],
)
def test_any_input_gives_suggestions_or_none_never_an_error(editor_client, projects, term):
    assert isinstance(suggested(editor_client, term), list)


@pytest.mark.parametrize("field", ["duplicate_of", "sources", "programme", "countries", "topics", "concerns"])
def test_a_nul_byte_in_any_autocomplete_is_a_clear_refusal_not_an_error(editor_client, projects, field):
    """Django's autocomplete reads its term unchecked; PostgreSQL refuses NUL in text (a 500)."""
    response = editor_client.get(
        URL, {"term": "tor\x00tu", "app_label": "funding", "model_name": "project", "field_name": field}
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_staff_without_permissions_get_no_suggestions(client, staff_without_permissions, projects):
    client.force_login(staff_without_permissions)
    response = client.get(
        URL, {"term": "tortu", "app_label": "funding", "model_name": "project", "field_name": "duplicate_of"}
    )
    assert response.status_code == 403


@pytest.mark.postgres
@ON_POSTGRES
def test_a_russian_beginning_of_a_word_finds_its_project(editor_client, projects):
    assert suggested(editor_client, "пыт") == ["Torture prevention in prisons"]


@pytest.mark.postgres
@ON_POSTGRES
def test_it_reads_the_stored_document_never_a_like(editor_client, projects):
    with CaptureQueriesContext(connection) as queries:
        suggested(editor_client, "tortu")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "search_document" in sql
    assert " LIKE " not in sql.upper()


@pytest.mark.postgres
@ON_POSTGRES
def test_the_best_match_comes_first(editor_client, db):
    # the newer first in the changelist's order: the ranking puts the better match first
    make_project(title="Torture prevention", summary="Monitoring torture; training on torture cases.")
    make_project(title="Legal aid", summary="Torture prevention in prisons.")
    assert suggested(editor_client, "tortur") == ["Torture prevention", "Legal aid"]
