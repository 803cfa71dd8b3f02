"""A published round of a draft country never names the country: its generated title and every
export column go through the same visibility rule as the country itself (issue 16)."""

import io

import openpyxl
import pytest

from tests.factories import (
    DRAFT,
    make_call,
    make_country,
    make_place,
    make_project,
    make_round,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db

HIDDEN = "Draftistan"


@pytest.fixture
def hidden_round():
    country = make_country("AQ", name=HIDDEN, slug="draftistan", publication_status=DRAFT)
    topic = make_topic(name="Freedom of assembly", slug="freedom-of-assembly")
    return make_round(country=country, topics=[topic], summary="The EU raised freedom of assembly.")


PAGES = [
    "/en/",
    "/en/dialogues/",
    "/en/dialogues/export.csv",
    "/en/dialogues/export.json",
    "/en/dialogues/export.xlsx",
    "/en/feeds/latest/",
    "/en/feeds/dialogues/",
    "/en/search/?q=assembly",
    "/en/topics/freedom-of-assembly/",
    "/sitemap.xml",
    "/api/v1/dialogue-rounds/",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_draft_countrys_name_is_on_no_public_surface_of_its_published_round(client, hidden_round, path):
    response = client.get(path)
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if path.endswith(".xlsx"):  # a zip: read its cells
        sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
        body = repr(list(sheet.values)).encode()
        assert b"freedom-of-assembly" in body  # the round is there
    assert HIDDEN.encode() not in body
    assert b"draftistan" not in body.lower()


def test_a_draft_countrys_name_is_not_on_its_published_rounds_page(client, hidden_round):
    for path in (hidden_round.get_absolute_url(), f"/api/v1/dialogue-rounds/{hidden_round.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert HIDDEN not in response.content.decode()


def test_a_place_in_a_draft_country_is_not_named_in_a_published_projects_api_record(client):
    country = make_country("KZ", name="Kazakhstan")
    hidden = make_country("AQ", name=HIDDEN, slug="draftistan", publication_status=DRAFT)
    project = make_project(countries=[country], sources=[make_source()])
    places = [make_place(country, name="Almaty"), make_place(hidden, name="Hiddenville")]
    project.places.set(places)
    call = make_call()
    call.places.set(places)
    for path in (f"/api/v1/projects/{project.pk}/", f"/api/v1/calls/{call.pk}/", "/api/v1/calls/"):
        body = client.get(path).content.decode()
        assert "Almaty (KZ)" in body, path
        assert "Hiddenville" not in body and "(AQ)" not in body, path
    for page in (project.get_absolute_url(), call.programme.get_absolute_url()):
        assert "Hiddenville" not in client.get(page).content.decode(), page
