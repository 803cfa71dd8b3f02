"""Every change is kept, browsable per record in the admin, with a diff and a way back."""

import pytest
from django.urls import reverse

from dialogues.models import Topic
from tests.factories import DRAFT, make_topic

pytestmark = pytest.mark.django_db


def change(client, topic, **fields):
    data = {
        "name": topic.name,
        "name_en": topic.name,
        "slug": topic.slug,
        "description": topic.description,
        "description_en": fields.get("description", topic.description),
        "sources": [s.pk for s in topic.sources.all()],
        "_save": "Save",
        **fields,
    }
    response = client.post(reverse("admin:dialogues_topic_change", args=[topic.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_each_admin_edit_is_kept_with_who_and_what(editor_client):
    # a draft: an Editor's change to a published record waits for review (test_revisions.py)
    topic = make_topic(name="Rule of law", description="First wording.", publication_status=DRAFT)
    change(editor_client, topic, description="Second wording.")
    latest, first = topic.history.all()[:2]
    assert latest.history_user.username == "editor"
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("description", "First wording.", "Second wording.")]
    page = editor_client.get(reverse("admin:dialogues_topic_history", args=[topic.pk]))
    assert page.status_code == 200 and "editor" in page.content.decode()


def test_an_earlier_version_can_be_restored_from_the_admin(editor_client):
    topic = make_topic(name="Rule of law", description="First wording.", publication_status=DRAFT)
    first = topic.history.first()  # the latest version before the mistaken edit
    change(editor_client, topic, description="A mistaken edit.")
    url = reverse("admin:dialogues_topic_simple_history", args=[topic.pk, first.history_id])
    form = editor_client.get(url)
    assert form.status_code == 200 and "First wording." in form.content.decode()
    change_data = {
        "name": "Rule of law",
        "name_en": "Rule of law",
        "slug": topic.slug,
        "description": "First wording.",
        "description_en": "First wording.",
        "sources": [s.pk for s in topic.sources.all()],
        "_save": "Save",
    }
    assert editor_client.post(url, change_data).status_code == 302
    topic.refresh_from_db()
    assert topic.description == "First wording."
    assert topic.history.first().history_id != first.history_id  # the restore is itself a recorded change
    assert Topic.history.filter(id=topic.pk).latest().history_user.username == "editor"


def test_one_admin_save_with_many_to_many_changes_is_one_history_entry(editor_client):
    from dialogues.models import DialogueRound
    from tests.factories import make_country, make_source
    from tests.portal.test_admin import admin_url, round_post

    country, topic, sources = make_country("KZ"), make_topic(), [make_source(), make_source()]
    data = round_post(country, held_on="2009-11", topics=[topic.pk], sources=[s.pk for s in sources])
    assert editor_client.post(admin_url(DialogueRound, "add"), data).status_code == 302
    record = DialogueRound.objects.get()
    (created,) = record.history.all()
    assert created.history_type == "+" and created.history_user.username == "editor"
    assert created.history_change_reason.startswith("In the admin: Added")
    assert {s.source_id for s in created.sources.all()} == {s.pk for s in sources}  # the final state

    data = round_post(country, held_on="2009-11", summary="Changed.", topics=[], sources=[sources[0].pk])
    assert editor_client.post(admin_url(DialogueRound, "change", record.pk), data).status_code == 302
    changed, first = record.history.all()
    assert (changed.history_type, first.history_id) == ("~", created.history_id)
    assert "Summary" in changed.history_change_reason and "Sources" in changed.history_change_reason
    assert [s.source_id for s in changed.sources.all()] == [sources[0].pk]
    page = editor_client.get(reverse("admin:dialogues_dialogueround_history", args=[record.pk])).content.decode()
    assert "None" not in page


def test_an_imported_row_is_one_history_entry_that_says_it_came_from_an_import(editor_client):
    from dialogues.models import DialogueRound
    from tests.factories import make_country, make_source
    from tests.spreadsheets import csv_file, import_file

    make_country("KZ")
    topic, source = make_topic(slug="rights-of-women"), make_source()
    row = {"country": "KZ", "held_on": "2009-06", "format": "structured", "topics": topic.slug, "sources": source.pk}
    assert import_file(editor_client, DialogueRound, csv_file([row], name="rounds.csv")).status_code == 302
    (entry,) = DialogueRound.objects.get().history.all()
    assert entry.history_type == "+" and entry.history_user.username == "editor"
    assert entry.history_change_reason == "Imported from the spreadsheet “rounds.csv”"
