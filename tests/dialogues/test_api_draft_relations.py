"""Draft related records in the API: the public never sees them; those who may change them see
every relation of a record, each draft marked `"publication_status": "draft"`, so that an editor's
GET-then-PUT keeps them all (issue 16)."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from dialogues_portal.response_cache import HIT_HEADER
from tests.api_helpers import as_user, results
from tests.factories import (
    DRAFT,
    make_country,
    make_organisation,
    make_programme,
    make_project,
    make_round,
    make_seminar,
    make_source,
    make_topic,
)

MARK = {"publication_status": "draft"}


@pytest.fixture
def relations(db):
    """A published and a draft country, topic, source and programme."""
    return {
        "countries": (
            make_country("KZ", name="Kazakhstan"),
            make_country("TM", name="Turkmenistan", publication_status=DRAFT),
        ),
        "topics": (
            make_topic(slug="rule-of-law", name="Rule of law"),
            make_topic(slug="draft-topic", name="Draft topic", publication_status=DRAFT),
        ),
        "sources": (
            make_source(title="A published source"),
            make_source(title="A draft source", publication_status=DRAFT),
        ),
        "programme": (make_programme(slug="eidhr"), make_programme(slug="draft-programme", publication_status=DRAFT)),
    }


def project_with(relations, **fields):
    return make_project(
        programme=relations["programme"][1],
        countries=relations["countries"],
        topics=relations["topics"],
        sources=relations["sources"],
        **fields,
    )


def seminar_with(relations, **fields):
    return make_seminar(
        countries=relations["countries"], topics=relations["topics"], sources=relations["sources"], **fields
    )


def keys(references):
    return [reference.get("code") or reference.get("slug") or reference["id"] for reference in references]


def as_written(body):
    """A record's GET body as a client sends it back: each reference (an object with a `url` and a
    `name`) by its identifier, as the API's writes take them; read-only properties are ignored."""

    def written(value):
        if isinstance(value, dict) and {"url", "name"} <= value.keys():
            return keys([value])[0]
        if isinstance(value, list):
            return [written(item) for item in value]
        return value

    return {name: written(value) for name, value in body.items()}


# --- Reading -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_sees_every_relation_of_a_record_with_the_drafts_marked(relations, editor):
    project = project_with(relations)
    client = as_user(editor)
    for body in (client.get(f"/api/v1/projects/{project.pk}/").json(), results(client.get("/api/v1/projects/"))[0]):
        assert keys(body["countries"]) == ["KZ", "TM"]
        assert [c.get("publication_status") for c in body["countries"]] == [None, "draft"]
        assert [(t["slug"], t.get("publication_status")) for t in body["topics"]] == [
            ("draft-topic", "draft"),
            ("rule-of-law", None),
        ]
        assert [(s["name"], s.get("publication_status")) for s in body["sources"]] == [
            ("A draft source", "draft"),
            ("A published source", None),
        ]
        assert body["programme"]["slug"] == "draft-programme"
        assert body["programme"]["publication_status"] == "draft"


@pytest.mark.django_db
def test_the_public_sees_only_the_published_relations_and_no_mark(relations, api):
    project = project_with(relations)
    for body in (api.get(f"/api/v1/projects/{project.pk}/").json(), results(api.get("/api/v1/projects/"))[0]):
        assert body["countries"] == [
            {"code": "KZ", "name": "Kazakhstan", "url": "http://testserver/api/v1/countries/KZ/"}
        ]
        assert keys(body["topics"]) == ["rule-of-law"]
        assert [s["name"] for s in body["sources"]] == ["A published source"]
        assert body["programme"] is None
        assert "publication_status" not in str([*body["countries"], *body["topics"], *body["sources"]])


@pytest.mark.django_db
def test_a_draft_country_of_a_round_and_of_an_organisation_is_marked_for_an_editor(relations, editor, api):
    draft_country = relations["countries"][1]
    dialogue_round = make_round(country=draft_country)
    organisation = make_organisation(country=draft_country)
    client = as_user(editor)
    for path in (f"/api/v1/dialogue-rounds/{dialogue_round.pk}/", f"/api/v1/organisations/{organisation.pk}/"):
        assert client.get(path).json()["country"] == {
            "code": "TM",
            "name": "Turkmenistan",
            "url": "http://testserver/api/v1/countries/TM/",
            **MARK,
        }
        assert api.get(path).json()["country"] is None


@pytest.mark.django_db
def test_a_seminars_draft_organisers_and_round_are_marked_for_an_editor(relations, editor):
    draft_round = make_round(country=relations["countries"][0], publication_status=DRAFT)
    seminar = seminar_with(relations, dialogue_round=draft_round)
    seminar.organisers.set([make_organisation(name="Draft NGO", publication_status=DRAFT), make_organisation()])
    body = as_user(editor).get(f"/api/v1/seminars/{seminar.pk}/").json()
    assert body["dialogue_round"]["publication_status"] == "draft"
    assert [o.get("publication_status") for o in body["organisers"] if o["name"] == "Draft NGO"] == ["draft"]
    assert len(body["organisers"]) == 2
    assert keys(body["countries"]) == ["KZ", "TM"]


@pytest.mark.django_db
def test_a_country_detail_marks_its_draft_dialogue_topics_for_an_editor(relations, editor, api):
    country = relations["countries"][0]
    country.dialogue_topics.set(relations["topics"])
    marks = {
        t["slug"]: t.get("publication_status")
        for t in as_user(editor).get("/api/v1/countries/KZ/").json()["dialogue_topics"]
    }
    assert marks == {"rule-of-law": None, "draft-topic": "draft"}
    assert keys(api.get("/api/v1/countries/KZ/").json()["dialogue_topics"]) == ["rule-of-law"]


# --- The round trip: GET, then PUT the same body -----------------------------------------------


def round_trip(client, path):
    body = client.get(path).json()
    response = client.put(path, as_written(body), format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_an_editors_get_then_put_of_a_draft_project_keeps_its_draft_relations(relations, editor):
    project = project_with(relations, publication_status=DRAFT)
    round_trip(as_user(editor), f"/api/v1/projects/{project.pk}/")
    project.refresh_from_db()
    assert sorted(project.countries.values_list("iso_code", flat=True)) == ["KZ", "TM"]
    assert sorted(project.topics.values_list("slug", flat=True)) == ["draft-topic", "rule-of-law"]
    assert project.sources.count() == 2
    assert project.programme.slug == "draft-programme"


@pytest.mark.django_db
def test_an_editors_get_then_put_of_a_draft_seminar_keeps_its_draft_relations(relations, editor):
    seminar = seminar_with(relations, publication_status=DRAFT)
    seminar.organisers.set([make_organisation(publication_status=DRAFT)])
    round_trip(as_user(editor), f"/api/v1/seminars/{seminar.pk}/")
    assert sorted(seminar.countries.values_list("iso_code", flat=True)) == ["KZ", "TM"]
    assert sorted(seminar.topics.values_list("slug", flat=True)) == ["draft-topic", "rule-of-law"]
    assert seminar.sources.count() == 2 and seminar.organisers.count() == 1


@pytest.mark.django_db
def test_a_publishers_get_then_put_of_a_published_record_keeps_its_draft_relations(relations, publisher, api):
    project = project_with(relations)
    path = f"/api/v1/projects/{project.pk}/"
    body = round_trip(as_user(publisher), path)
    assert keys(body["countries"]) == ["KZ", "TM"]
    assert sorted(project.countries.values_list("iso_code", flat=True)) == ["KZ", "TM"]
    assert sorted(project.topics.values_list("slug", flat=True)) == ["draft-topic", "rule-of-law"]
    public = api.get(path).json()
    assert keys(public["countries"]) == ["KZ"] and keys(public["topics"]) == ["rule-of-law"]


@pytest.mark.django_db
def test_an_editors_get_then_put_of_a_published_record_proposes_no_change_of_its_relations(relations, editor):
    """An editor's write of a published record waits for review (revisions/): sent back as read,
    its relations differ in nothing, so no change proposes dropping the drafts among them."""
    from revisions.models import PendingRevision

    project = project_with(relations)
    path = f"/api/v1/projects/{project.pk}/"
    client = as_user(editor)
    assert client.put(path, as_written(client.get(path).json()), format="json").status_code in (200, 202)
    proposed = {key for revision in PendingRevision.objects.all() for key in revision.changes}
    assert not proposed & {"countries", "topics", "sources", "programme"}


# --- The anonymous response cache --------------------------------------------------------------


@pytest.mark.django_db
def test_an_editors_list_with_marked_drafts_is_never_stored_nor_served_a_visitors_copy(relations, editor, settings):
    settings.PUBLIC_RESPONSE_CACHE = True
    project_with(relations)
    token = Token.objects.create(user=editor)
    editor_client = Client(headers={"authorization": f"Token {token.key}"})
    first = editor_client.get("/api/v1/projects/")  # the editor first: nothing stored
    assert HIT_HEADER not in first and "draft-topic" in first.content.decode()
    visitor = Client().get("/api/v1/projects/")
    assert visitor[HIT_HEADER] == "miss"  # rendered for the visitor, then stored
    again = editor_client.get("/api/v1/projects/")
    assert HIT_HEADER not in again and "draft-topic" in again.content.decode()
    served = Client().get("/api/v1/projects/")
    assert served[HIT_HEADER] == "hit"
    assert "draft-topic" not in served.content.decode() and "publication_status" not in str(
        served.json()["results"][0]["countries"]
    )


# --- The schema --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schema_declares_the_mark_optional_on_every_reference(api):
    openapi = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    project = openapi["components"]["schemas"]["Project"]["properties"]
    for reference in (project["programme"], project["countries"]["items"], project["sources"]["items"]):
        reference = reference.get("allOf", [reference])[0]
        assert reference["properties"]["publication_status"]["enum"] == ["draft"]
        assert "publication_status" not in reference["required"]
