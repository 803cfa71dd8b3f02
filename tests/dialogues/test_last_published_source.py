"""A source that is the last published source of a published record is neither unpublished nor
deleted, on any path (dialogues/services.py: every published record cites a published source):
the refusal names the records that would be left without one (issue 16)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues.models import Source
from dialogues.services import records_unpublish, refuse_stranding, stranded_records
from tests.api_helpers import as_user
from tests.factories import DRAFT, PUBLISHED, make_project, make_round, make_source, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def last():
    """The last published source of a published project; also cited by a round with another
    published source, by a draft topic, and beside a draft source."""
    source = make_source(title="The only published source")
    make_project(title="Monitoring places of detention", sources=[source, make_source(publication_status=DRAFT)])
    make_round(sources=[source, make_source()])
    make_topic(publication_status=DRAFT, sources=[source])
    return source


def stranded(sources):
    return {str(record) for _model, records in stranded_records(sources) for record in records}


def status_of(source):
    return Source.objects.values_list("publication_status", flat=True).get(pk=source.pk)


def admin_url(view, *args):
    return reverse(f"admin:dialogues_source_{view}", args=args)


# --- The rule ----------------------------------------------------------------------------------


def test_only_published_records_left_without_a_published_source_are_stranded(last):
    assert stranded(Source.objects.filter(pk=last.pk)) == {"Monitoring places of detention"}
    assert stranded([make_source()]) == set()


def test_sources_unpublished_together_strand_a_record_citing_only_them():
    first, second = make_source(), make_source()
    make_topic(name="Cites two", sources=[first, second])
    assert stranded([first]) == stranded([second]) == set()
    assert stranded([first, second]) == {"Cites two"}


def test_the_refusal_names_the_first_few_records_and_counts_the_rest():
    source = make_source()
    for n in range(7):
        make_topic(name=f"Topic citing it {n}", sources=[source])
    with pytest.raises(ValidationError) as refused:
        refuse_stranding(sources=[source])
    message = refused.value.messages[0]
    assert message.count("Topic citing it") == 5 and "(2 more records too.)" in message


def test_the_service_refuses_to_unpublish_the_last_published_source(last, publisher):
    with pytest.raises(ValidationError, match="Monitoring places of detention"):
        records_unpublish(user=publisher, records=Source.objects.filter(pk=last.pk))
    assert status_of(last) == PUBLISHED
    other = make_source()
    assert records_unpublish(user=publisher, records=Source.objects.filter(pk=other.pk)) == 1


# --- The admin -----------------------------------------------------------------------------------


def test_the_admins_bulk_unpublish_refuses_it_naming_the_record(last, publisher_client):
    response = publisher_client.post(
        admin_url("changelist"), {"action": "unpublish_selected", "_selected_action": [last.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Monitoring places of detention" in response.content.decode()
    assert status_of(last) == PUBLISHED


def change_form_data(client, url, **changes):
    """The change form as the admin shows it, with `changes`."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    return {**data, **changes, "_save": "Save"}


def test_the_admin_form_refuses_to_set_it_to_draft(last, publisher_client):
    url = admin_url("change", last.pk)
    response = publisher_client.post(url, change_form_data(publisher_client, url, publication_status=DRAFT))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Monitoring places of detention" in str(errors["publication_status"])
    assert status_of(last) == PUBLISHED
    other = make_source()
    url = admin_url("change", other.pk)
    response = publisher_client.post(url, change_form_data(publisher_client, url, publication_status=DRAFT))
    assert response.status_code == 302
    assert status_of(other) == DRAFT


def test_the_admin_refuses_to_delete_it_as_a_protected_object(last, publisher_client):
    page = publisher_client.get(admin_url("delete", last.pk))
    assert "Monitoring places of detention" in page.content.decode()
    assert publisher_client.post(admin_url("delete", last.pk), {"post": "yes"}).status_code in (200, 403)
    publisher_client.post(
        admin_url("changelist"), {"action": "delete_selected", "_selected_action": [last.pk], "post": "yes"}
    )
    assert Source.objects.filter(pk=last.pk).exists()
    other = make_source()
    publisher_client.post(admin_url("delete", other.pk), {"post": "yes"})
    assert not Source.objects.filter(pk=other.pk).exists()


# --- The API -------------------------------------------------------------------------------------


def test_the_apis_patch_refuses_to_unpublish_it(last, publisher):
    response = as_user(publisher).patch(f"/api/v1/sources/{last.pk}/", {"publication_status": "draft"}, format="json")
    assert response.status_code == 400
    assert "Monitoring places of detention" in response.json()["publication_status"][0]
    assert status_of(last) == PUBLISHED


def test_the_api_refuses_to_delete_it_with_a_conflict(last, publisher):
    client = as_user(publisher)
    response = client.delete(f"/api/v1/sources/{last.pk}/")
    assert response.status_code == 409
    assert "Monitoring places of detention" in response.json()["detail"]
    assert Source.objects.filter(pk=last.pk).exists()
    other = make_source()
    assert client.delete(f"/api/v1/sources/{other.pk}/").status_code == 204


def test_restoring_a_draft_version_of_it_from_the_history_is_refused(publisher_client):
    source = make_source(title="Once a draft", publication_status=DRAFT)
    draft_version = source.history.first()
    source.publication_status = PUBLISHED
    source.save()
    make_project(title="Monitoring places of detention", sources=[source])
    url = admin_url("simple_history", source.pk, draft_version.history_id)
    data = change_form_data(publisher_client, url)
    data.pop("loaded_version", None)  # a restored version is checked against the stored record
    assert data["publication_status"] == DRAFT
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert "Monitoring places of detention" in str(response.context["adminform"].form.errors)
    assert status_of(source) == PUBLISHED
