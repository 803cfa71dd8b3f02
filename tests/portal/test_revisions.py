"""Editors' changes to published records wait for a Publisher's review (revisions/), in the admin
and in the API; publishers' own edits and drafts change at once; nothing proposed reaches the
public before it is accepted; restoring a version never changes the publication status for an
Editor; a save from a stale form or with a stale If-Match is refused."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dialogues.models import DialogueRound
from funding.models import Project
from revisions.models import PendingRevision, RevisionStatus
from tests.api_helpers import as_user
from tests.factories import DRAFT, make_concern, make_country, make_entry, make_project, make_round, make_topic

pytestmark = pytest.mark.django_db

PLANTED = "Zqx planted proposal"


def topic_post(topic, **fields):
    if "description" in fields:  # the English text, with or without translated fields in the form
        fields["description_en"] = fields["description"]
    return {
        "name": topic.name,
        "name_en": topic.name,
        "slug": topic.slug,
        "description": topic.description,
        "description_en": topic.description,
        "sources": [s.pk for s in topic.sources.all()],
        "loaded_version": topic.updated_at.isoformat(),
        "publication_status": topic.publication_status,  # read-only for an editor: ignored
        "_save": "Save",
        **fields,
    }


def proposed(revision, part="changes"):
    """A revision's changes, the English field of a translated text named as the field."""
    values = getattr(revision, part)
    return {key.removesuffix("_en"): value for key, value in values.items() if not key.endswith("_ru")}


def save_topic(client, topic, **fields):
    return client.post(reverse("admin:dialogues_topic_change", args=[topic.pk]), topic_post(topic, **fields))


def decide(client, revision, decision, note=""):
    url = reverse("admin:revisions_pendingrevision_decide", args=[revision.pk, decision])
    return client.post(url, {"review_note": note})


# The admin


def test_an_editors_change_to_a_published_record_waits_and_the_public_keeps_the_published_version(
    editor_client, client
):
    topic = make_topic(name="Rule of law", description="Published wording.")
    entries = topic.history.count()
    response = save_topic(editor_client, topic, description=PLANTED)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.description == "Published wording." and topic.history.count() == entries
    revision = PendingRevision.objects.get()
    assert revision.status == RevisionStatus.PENDING and revision.author.username == "editor"
    assert proposed(revision) == {"description": PLANTED}
    assert proposed(revision, "base") == {"description": "Published wording."}
    page = editor_client.get(response["Location"]).content.decode()
    assert "waiting for review" in page and "See the proposed change" in page
    review = editor_client.get(reverse("admin:revisions_pendingrevision_change", args=[revision.pk])).content.decode()
    assert PLANTED in review and "Published wording." in review and "Withdraw my change" in review
    assert "Accept: publish this change" not in review  # an editor cannot accept


def test_a_publisher_accepts_the_change_it_goes_live_as_one_history_entry_naming_its_author(
    editor, editor_client, publisher, client
):
    topic = make_topic(description="Published wording.")
    save_topic(editor_client, topic, description="Better wording.")
    revision = PendingRevision.objects.get()
    client.force_login(publisher)
    review = client.get(reverse("admin:revisions_pendingrevision_change", args=[revision.pk])).content.decode()
    assert "Accept: publish this change" in review
    entries = topic.history.count()
    assert decide(client, revision, "accept", note="Fine.").status_code == 302
    topic.refresh_from_db()
    revision.refresh_from_db()
    assert topic.description == "Better wording." and topic.is_published
    assert (revision.status, revision.reviewed_by, revision.review_note) == (
        RevisionStatus.ACCEPTED,
        publisher,
        "Fine.",
    )
    assert topic.history.count() == entries + 1
    latest = topic.history.first()
    assert latest.history_user == publisher and f"#{revision.pk}" in latest.history_change_reason
    assert "editor" in latest.history_change_reason
    assert decide(client, revision, "accept").status_code == 302  # a second decision is refused, not a 500
    assert PendingRevision.objects.get().status == RevisionStatus.ACCEPTED


def test_a_rejected_change_leaves_the_record_as_it_was(editor_client, publisher, client):
    topic = make_topic(description="Published wording.")
    save_topic(editor_client, topic, description="Rejected wording.")
    client.force_login(publisher)
    decide(client, PendingRevision.objects.get(), "reject")
    topic.refresh_from_db()
    assert topic.description == "Published wording."
    assert PendingRevision.objects.get().status == RevisionStatus.REJECTED


def test_the_author_may_withdraw_and_an_editor_may_not_accept(editor, editor_client):
    topic = make_topic(description="Published wording.")
    save_topic(editor_client, topic, description="Second thoughts.")
    revision = PendingRevision.objects.get()
    decide(editor_client, revision, "accept")
    assert PendingRevision.objects.get().status == RevisionStatus.PENDING  # refused: not a publisher
    decide(editor_client, revision, "withdraw")
    assert PendingRevision.objects.get().status == RevisionStatus.WITHDRAWN
    topic.refresh_from_db()
    assert topic.description == "Published wording."


def test_accepting_a_change_made_against_an_older_version_is_refused_naming_the_field(editor_client, publisher, client):
    topic = make_topic(description="Published wording.")
    save_topic(editor_client, topic, description="The editor's wording.")
    client.force_login(publisher)
    topic.refresh_from_db()
    assert save_topic(client, topic, description="The publisher's wording.").status_code == 302  # goes live
    response = decide(client, PendingRevision.objects.get(), "accept")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("changed since" in m and "description" in m for m in messages), messages
    topic.refresh_from_db()
    assert topic.description == "The publisher's wording."
    assert PendingRevision.objects.get().status == RevisionStatus.PENDING


def test_a_second_editors_change_is_refused_while_one_waits(editor_client):
    from django.test import Client

    from dialogues_portal.roles import EDITORS
    from tests.conftest import make_staff

    topic = make_topic(description="Published wording.")
    save_topic(editor_client, topic, description="First proposal.")
    second = Client()
    second.force_login(make_staff("second-editor", EDITORS))
    response = save_topic(second, topic, description="Second proposal.")
    assert response.status_code == 200
    assert "waits for review" in str(response.context["adminform"].form.non_field_errors())
    assert proposed(PendingRevision.objects.get()) == {"description": "First proposal."}
    # the author may revise their own proposal: it replaces the waiting one
    save_topic(editor_client, topic, description="First proposal, revised.")
    assert proposed(PendingRevision.objects.get()) == {"description": "First proposal, revised."}


def test_drafts_and_publishers_change_at_once(editor_client, publisher, client):
    draft = make_topic(description="Draft wording.", publication_status=DRAFT)
    save_topic(editor_client, draft, description="Edited draft.")
    draft.refresh_from_db()
    assert draft.description == "Edited draft."
    published = make_topic(description="Published wording.")
    client.force_login(publisher)
    save_topic(client, published, description="A publisher's edit.")
    published.refresh_from_db()
    assert published.description == "A publisher's edit."
    assert not PendingRevision.objects.exists()


def test_an_editor_cannot_change_a_published_rounds_inlines(editor_client):
    from tests.portal.test_admin import admin_url, round_post

    country = make_country("KZ")
    record = make_round(country, held_on="2010-06-01", held_on_precision="day", summary="Published summary.")
    concern = make_concern(country)
    entry = make_entry(concern, record, statement="Published statement.")
    page = editor_client.get(admin_url(DialogueRound, "change", record.pk)).content.decode()
    assert "your changes will wait" in page
    data = round_post(
        country, held_on="2010-06-13", summary="Published summary.", sources=[s.pk for s in record.sources.all()]
    )
    data.update(
        {
            "concern_entries-TOTAL_FORMS": "1",
            "concern_entries-INITIAL_FORMS": "1",
            "concern_entries-0-id": entry.pk,
            "concern_entries-0-dialogue_round": record.pk,
            "concern_entries-0-concern": concern.pk,
            "concern_entries-0-status": entry.status,
            "concern_entries-0-asserted_by": entry.asserted_by,
            "concern_entries-0-statement": PLANTED,
        }
    )
    editor_client.post(admin_url(DialogueRound, "change", record.pk), data)
    entry.refresh_from_db()
    assert entry.statement == "Published statement."


def test_restoring_an_old_version_never_republishes_for_an_editor(editor_client, publisher):
    """The issue's case: a publisher unpublishes a project; an editor submits a published version
    from its history unchanged: it stays a draft."""

    project = make_project(title="Once published")
    published_version = project.history.first()
    Project.objects.filter(pk=project.pk).update(publication_status=DRAFT)
    project.refresh_from_db()
    project.publication_status = DRAFT
    project.save()  # as the publisher's unpublish does: a history entry
    url = reverse("admin:funding_project_simple_history", args=[project.pk, published_version.history_id])
    form = editor_client.get(url)
    assert form.status_code == 200
    data = {
        name: value
        for name, value in form.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            name: [o.pk for o in value]
            for name, value in form.context["adminform"].form.initial.items()
            if isinstance(value, list)
        }
    )
    data["countries"] = [c.pk for c in project.countries.all()]
    data["sources"] = [s.pk for s in project.sources.all()]
    data["_save"] = "Save"
    response = editor_client.post(url, {k: v for k, v in data.items() if k != "loaded_version"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.publication_status == DRAFT
    assert project.history.first().publication_status == DRAFT


def test_restoring_a_version_of_a_published_record_is_a_proposal(editor_client):
    topic = make_topic(name="Rule of law", description="First wording.")
    first = topic.history.first()
    topic.description = "Current wording."
    topic.save()
    url = reverse("admin:dialogues_topic_simple_history", args=[topic.pk, first.history_id])
    data = topic_post(topic, description="First wording.")
    del data["loaded_version"]
    assert editor_client.post(url, data).status_code == 302
    topic.refresh_from_db()
    assert topic.description == "Current wording."
    revision = PendingRevision.objects.get()
    assert revision.origin == "history" and proposed(revision) == {"description": "First wording."}


def test_a_stale_admin_form_is_refused_saying_who_changed_what(editor_client, publisher, client):
    topic = make_topic(description="Loaded wording.", publication_status=DRAFT)
    stale = topic_post(topic, description="My wording.")
    client.force_login(publisher)
    assert save_topic(client, topic, description="The publisher's wording.").status_code == 302
    response = editor_client.post(reverse("admin:dialogues_topic_change", args=[topic.pk]), stale)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "publisher saved this record" in errors and "description" in errors, errors
    topic.refresh_from_db()
    assert topic.description == "The publisher's wording."
    # the change form carries the version it was opened at
    page = editor_client.get(reverse("admin:dialogues_topic_change", args=[topic.pk])).content.decode()
    assert f'value="{topic.updated_at.isoformat()}"' in page


def test_an_editor_may_not_publish_a_rounds_concern_entry_from_its_inline(editor_client):
    from tests.portal.test_admin import admin_url

    record = make_round(make_country("KZ"), publication_status=DRAFT)
    page = editor_client.get(admin_url(DialogueRound, "change", record.pk))
    inline = next(f for f in page.context["inline_admin_formsets"] if f.opts.model._meta.model_name == "concernentry")
    assert "publication_status" in inline.readonly_fields


def test_the_review_pages_are_for_staff_only(client, editor_client):
    topic = make_topic()
    save_topic(editor_client, topic, description=PLANTED)
    revision = PendingRevision.objects.get()
    assert editor_client.get(reverse("admin:revisions_pendingrevision_changelist")).status_code == 200
    anonymous = APIClient()
    assert anonymous.get(reverse("admin:revisions_pendingrevision_change", args=[revision.pk])).status_code == 302
    assert (
        anonymous.post(reverse("admin:revisions_pendingrevision_decide", args=[revision.pk, "accept"])).status_code
        == 302
    )
    assert PendingRevision.objects.get().status == RevisionStatus.PENDING


# The API


def test_an_editors_patch_of_a_published_project_waits_for_review(editor, publisher):
    project = make_project(title="Published title", eu_contribution_eur=100000)
    url = reverse("api:project-detail", args=[project.pk])
    response = as_user(editor).patch(url, {"title": PLANTED, "eu_contribution_eur": "250000"}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (
        body["status"] == "pending"
        and proposed(SimpleNamespace(changes=body["changes"]))["title"] == PLANTED
        and response["Location"] == body["url"]
    )
    project.refresh_from_db()
    assert (project.title, project.eu_contribution_eur) == ("Published title", 100000)
    public = APIClient().get(url).json()
    assert public["title"] == "Published title"

    pending = as_user(editor).get(reverse("api:revision-list")).json()
    assert [r["id"] for r in pending["results"]] == [body["id"]]
    assert as_user(editor).post(reverse("api:revision-accept", args=[body["id"]])).status_code == 403
    accepted = as_user(publisher).post(reverse("api:revision-accept", args=[body["id"]]), {"note": "ok"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert APIClient().get(url).json()["title"] == PLANTED
    assert as_user(editor).get(reverse("api:revision-list")).json()["results"] == []
    assert len(as_user(editor).get(reverse("api:revision-list"), {"status": "all"}).json()["results"]) == 1


def test_the_revisions_api_is_not_public(editor):
    project = make_project()
    as_user(editor).patch(reverse("api:project-detail", args=[project.pk]), {"title": PLANTED}, format="json")
    revision = PendingRevision.objects.get()
    anonymous = APIClient()
    assert anonymous.get(reverse("api:revision-list")).status_code in (401, 403)
    assert anonymous.get(reverse("api:revision-detail", args=[revision.pk])).status_code in (401, 403)
    assert anonymous.post(reverse("api:revision-accept", args=[revision.pk])).status_code in (401, 403)
    assert as_user(editor).get(reverse("api:revision-list"), {"status": "nonsense"}).status_code == 400


def test_a_proposal_reaches_no_public_surface(editor, client):
    project = make_project(title="Published title", summary="Published summary.")
    topic = make_topic(name="Published topic")
    as_user(editor).patch(reverse("api:project-detail", args=[project.pk]), {"title": PLANTED}, format="json")
    as_user(editor).patch(reverse("api:topic-detail", args=[topic.slug]), {"name": PLANTED + " topic"}, format="json")
    assert PendingRevision.objects.count() == 2
    urls = [
        reverse("project-detail", args=[project.pk]),
        reverse("project-list"),
        reverse("search") + "?q=planted",
        reverse("topic-list"),
        reverse("feed-projects"),
        reverse("api:project-list"),
        reverse("api:project-detail", args=[project.pk]),
        reverse("api:topic-list"),
        reverse("api:revision-list"),
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert "Zqx" not in response.content.decode().replace("?q=planted", ""), url


def test_etag_and_if_match_refuse_a_write_from_a_stale_copy(publisher):
    project = make_project(title="First")
    url = reverse("api:project-detail", args=[project.pk])
    api = as_user(publisher)
    read = api.get(url)
    etag = read["ETag"]
    assert etag.startswith('"') and etag == APIClient().get(url)["ETag"]
    first = api.patch(url, {"title": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    stale = api.patch(url, {"title": "Lost update"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and "changed since you read it" in stale.json()["detail"]
    assert api.put(url, {**read.json(), "title": "x"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert api.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH="W/" + first["ETag"]).status_code == 412
    assert api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    project.refresh_from_db()
    assert project.title == "Second"
    assert api.patch(url, {"title": "Third"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert api.patch(url, {"title": "Fourth"}, format="json").status_code == 200  # If-Match is optional


def test_an_editors_write_to_a_draft_is_direct(editor):
    project = make_project(title="Draft", publication_status=DRAFT)
    response = as_user(editor).patch(
        reverse("api:project-detail", args=[project.pk]), {"title": "Edited"}, format="json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Edited"
    assert not PendingRevision.objects.exists()


def test_no_admin_lets_an_editor_set_the_publication_status(editor):
    """Every publishable model's admin keeps the status read-only for an Editor, whatever mixins
    it has (django-modeltranslation's admin, first in a class's bases, drops the others' read-only
    fields: it once did)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from dialogues.publishing import PublishableModel

    request = RequestFactory().get("/")
    request.user = editor
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not issubclass(model, PublishableModel):
            continue
        assert "publication_status" in model_admin.get_readonly_fields(request), model
        assert "publication_status" not in model_admin.get_form(request, change=True).base_fields, model
        checked += 1
    assert checked >= 10


def test_an_editor_cannot_change_the_citations_of_a_published_record_on_their_own_page(editor_client):
    from django.contrib.contenttypes.models import ContentType

    from dialogues.models import Citation
    from tests.factories import make_source

    project, draft = make_project(), make_project(publication_status=DRAFT)
    source = make_source()
    project_type = ContentType.objects.get_for_model(Project)
    citation = Citation.objects.create(content_type=project_type, object_id=project.pk, field="title", source=source)
    change = reverse("admin:dialogues_citation_change", args=[citation.pk])
    assert editor_client.post(change, {"field": PLANTED}).status_code == 403
    assert reverse("admin:dialogues_citation_delete", args=[citation.pk])
    assert (
        editor_client.post(reverse("admin:dialogues_citation_delete", args=[citation.pk]), {"post": "yes"}).status_code
        == 403
    )
    new = {"content_type": project_type.pk, "field": "summary", "source": source.pk, "basis": "stated", "_save": "Save"}
    refused = editor_client.post(reverse("admin:dialogues_citation_add"), {**new, "object_id": project.pk})
    assert refused.status_code == 200 and "only a publisher" in str(
        refused.context["adminform"].form.non_field_errors()
    )
    accepted = editor_client.post(reverse("admin:dialogues_citation_add"), {**new, "object_id": draft.pk})
    assert accepted.status_code == 302
    assert (
        Citation.objects.filter(object_id=draft.pk).exists() and Citation.objects.get(pk=citation.pk).field == "title"
    )


def test_sending_a_record_back_unchanged_proposes_nothing(editor):
    """An editor's GET then PUT of the same body: a blank text stored as null and sent as "" is no change."""
    record = make_round(make_country("KZ"), held_on="2010-06-01", held_on_precision="day")
    url = reverse("api:dialogueround-detail", args=[record.pk])
    body = as_user(editor).get(url).json()
    writable = {
        key: value["code"] if isinstance(value, dict) and "code" in value else value
        for key, value in body.items()
        if key not in ("url", "id", "citations", "is_synthetic", "created_at", "updated_at")
    }
    writable["topics"] = [t["slug"] for t in body["topics"]]
    writable["sources"] = [s["id"] for s in body["sources"]]
    response = as_user(editor).put(url, writable, format="json")
    assert response.status_code == 200, response.content
    assert not PendingRevision.objects.exists()
