"""Every change is kept, browsable per record in the admin, with a diff and a way back."""

import pytest
from django.urls import reverse

from dialogues.models import Topic
from tests.factories import make_topic

pytestmark = pytest.mark.django_db


def change(client, topic, **fields):
    data = {
        "name": topic.name,
        "slug": topic.slug,
        "description": topic.description,
        "sources": [s.pk for s in topic.sources.all()],
        "_save": "Save",
        **fields,
    }
    response = client.post(reverse("admin:dialogues_topic_change", args=[topic.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_each_admin_edit_is_kept_with_who_and_what(editor_client):
    topic = make_topic(name="Rule of law", description="First wording.")
    change(editor_client, topic, description="Second wording.")
    latest, first = topic.history.all()[:2]
    assert latest.history_user.username == "editor"
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("description", "First wording.", "Second wording.")]
    page = editor_client.get(reverse("admin:dialogues_topic_history", args=[topic.pk]))
    assert page.status_code == 200 and "editor" in page.content.decode()


def test_an_earlier_version_can_be_restored_from_the_admin(editor_client):
    topic = make_topic(name="Rule of law", description="First wording.")
    first = topic.history.first()  # the latest version before the mistaken edit
    change(editor_client, topic, description="A mistaken edit.")
    url = reverse("admin:dialogues_topic_simple_history", args=[topic.pk, first.history_id])
    form = editor_client.get(url)
    assert form.status_code == 200 and "First wording." in form.content.decode()
    change_data = {
        "name": "Rule of law",
        "slug": topic.slug,
        "description": "First wording.",
        "sources": [s.pk for s in topic.sources.all()],
        "_save": "Save",
    }
    assert editor_client.post(url, change_data).status_code == 302
    topic.refresh_from_db()
    assert topic.description == "First wording."
    assert topic.history.first().history_id != first.history_id  # the restore is itself a recorded change
    assert Topic.history.filter(id=topic.pk).latest().history_user.username == "editor"
