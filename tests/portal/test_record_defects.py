"""What the five source documents were wrong about on the portal, each kept right by a test."""

import csv
import io
import json

import pytest

from tests.factories import make_seminar

pytestmark = pytest.mark.django_db


def text(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_the_home_page_says_how_each_dialogue_began_not_regular_dialogues_since_2005(client, real_data):
    html = text(client.get("/en/"))
    assert "Since 2005 the European Union has held regular human rights dialogues" not in html
    for fact in ("ad hoc dialogue from 2005", "formally agreed, in 2007", "first held in October 2008"):
        assert fact in html


def test_seminar_exports_keep_the_qualifier_of_a_number(client):
    make_seminar(participating_organisations=70, participating_organisations_qualifier="more_than")
    row = next(csv.DictReader(io.StringIO(text(client.get("/en/seminars/export.csv")))))
    assert (row["participating_organisations"], row["participating_organisations_qualifier"]) == ("70", "more_than")
    (record,) = json.loads(text(client.get("/en/seminars/export.json")))
    assert (record["participating_organisations"], record["participating_organisations_qualifier"]) == (70, "more_than")


def test_api_examples_are_marked_and_invent_no_real_looking_fact(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    raw = json.dumps(schema)
    for invented in ("Monitoring of places of detention", "2170000", "EU and Kazakhstan hold human rights dialogue"):
        assert invented not in raw
    for path in ("/api/v1/projects/", "/api/v1/stats/", "/api/v1/concerns/"):
        examples = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["examples"]
        assert all(
            "example" in (example.get("summary", "") + example.get("description", "")).lower()
            for example in examples.values()
        ), path
