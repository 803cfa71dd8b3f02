"""An IATI file imported from the admin: uploaded, checked by the task worker (a dry run: the
preview), confirmed, imported as `manage.py import_iati` imports it; refused files say why and
write nothing; only the uploader sees the upload; only a Publisher may publish at once."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dialogues.models import Source
from dialogues.publishing import PublicationStatus
from dialogues_portal.models import ImportStage
from funding.models import IatiFile, IatiUpload, Project
from tests.factories import make_country

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "iati_files"
UPLOAD_URL = "/admin/funding/iatifile/upload/"


@pytest.fixture
def countries(db):
    return {code: make_country(code) for code in ("KZ", "KG", "TJ", "TM", "UZ")}


def run_worker():
    """What `manage.py db_worker` does, once for every waiting task, inside the test's transaction."""
    for task in DBTaskResult.objects.ready():
        task.task.call(*task.task_result.args, **task.task_result.kwargs)
        DBTaskResult.objects.filter(pk=task.pk).delete()


def xml(name, content=None):
    return SimpleUploadedFile(name, content if content is not None else (FILES / name).read_bytes(), "text/xml")


def upload(client, name="activities-2.03.xml", content=None, **fields):
    response = client.post(UPLOAD_URL, {"file": xml(name, content), **fields})
    assert response.status_code == 302, response.content.decode()[:3000]
    return IatiUpload.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def state(client, item):
    response = client.get(reverse("admin:funding_iatifile_upload_state", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def confirm(client, item):
    return client.post(reverse("admin:funding_iatifile_upload_confirm", args=[item.pk]))


def test_the_imported_files_page_offers_the_upload(countries, editor_client):
    content = editor_client.get("/admin/funding/iatifile/").content.decode()
    assert UPLOAD_URL in content
    form = editor_client.get(UPLOAD_URL).content.decode()
    assert 'type="file"' in form and 'name="countries"' in form
    assert 'name="publish"' not in form  # an editor's projects are drafts for a Publisher


def test_upload_check_preview_confirm_import(countries, editor_client, editor):
    item = upload(editor_client)
    assert item.stage == ImportStage.CHECK_WAITING
    waiting = state(editor_client, item)
    assert 'http-equiv="refresh"' in waiting and "Waiting for the worker" in waiting
    run_worker()
    item.refresh_from_db()
    assert item.stage == ImportStage.CHECKED
    assert not Project.objects.exists() and not IatiFile.objects.exists()  # the check writes nothing
    preview = state(editor_client, item)
    assert "What the import would do" in preview and "Confirm import" in preview
    assert item.summary["created"] == 6 and item.summary["skipped"]
    assert "XX-TEST-ELSEWHERE" in preview  # skipped: no recipient country of the portal's, with its reason
    assert 'http-equiv="refresh"' not in preview
    assert confirm(editor_client, item).status_code == 302
    run_worker()
    item.refresh_from_db()
    assert item.stage == ImportStage.IMPORTED and item.data == b""  # the file is not kept
    done = state(editor_client, item)
    assert "What the import did" in done and "source_kind__exact=iati" in done
    assert Project.objects.filter(source_kind="iati").count() == 6
    assert set(Project.objects.values_list("publication_status", flat=True)) == {PublicationStatus.DRAFT}
    imported = IatiFile.objects.get()
    assert imported.name == "activities-2.03.xml" and imported.imported_by == editor  # its own name, not a temp one
    project = Project.objects.get(iati_identifier="XX-TEST-1")
    assert project.history.first().history_user == editor
    # the same file again: nothing changes
    again = upload(editor_client)
    run_worker()
    again.refresh_from_db()
    assert (again.summary["created"], again.summary["updated"], again.summary["unchanged"]) == (0, 0, 6)


def test_a_second_confirmation_does_not_import_twice(countries, editor_client):
    item = upload(editor_client)
    run_worker()
    confirm(editor_client, item)
    response = confirm(editor_client, item)
    assert response.status_code == 302
    run_worker()
    assert Project.objects.filter(source_kind="iati").count() == 6
    assert DBTaskResult.objects.count() == 0


def test_a_publisher_may_publish_at_once(countries, publisher_client):
    assert 'name="publish"' in publisher_client.get(UPLOAD_URL).content.decode()
    item = upload(publisher_client, publish="on")
    run_worker()
    confirm(publisher_client, item)
    run_worker()
    assert set(Project.objects.values_list("publication_status", flat=True)) == {PublicationStatus.PUBLISHED}
    assert Source.objects.get(iati_files__isnull=False).is_published


def test_an_editor_cannot_publish_by_posting_the_field(countries, editor_client):
    item = upload(editor_client, publish="on")
    assert item.publish is False


def test_countries_and_sectors_narrow_the_import(countries, editor_client):
    item = upload(editor_client, countries=["KZ"], sectors="15160, 15153")
    run_worker()
    item.refresh_from_db()
    assert (item.countries, item.sectors) == (["KZ"], ["15153", "15160"])
    confirm(editor_client, item)
    run_worker()
    assert list(Project.objects.values_list("iati_identifier", flat=True)) == ["XX-TEST-1"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("version-1.03.xml", "1.03"),
        ("bomb.xml", "DOCTYPE"),
        ("external-entity.xml", "DOCTYPE"),
        ("truncated.xml", ""),
    ],
)
def test_a_refused_file_says_why_and_writes_nothing(countries, editor_client, name, reason):
    sources = Source.objects.count()  # the countries' own
    item = upload(editor_client, name=name)
    run_worker()
    item.refresh_from_db()
    assert item.stage == ImportStage.REFUSED and reason in item.error
    page = state(editor_client, item)
    assert "The file is refused, nothing was imported" in page and "Confirm import" not in page
    assert confirm(editor_client, item).status_code == 302
    run_worker()
    assert not Project.objects.exists() and not IatiFile.objects.exists() and Source.objects.count() == sources


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": SimpleUploadedFile("activities.csv", b"a,b\n")}, "An IATI activity file is an .xml file."),
        ({"sectors": "15160, 1516x"}, "Not a DAC 5-digit sector code: 1516x."),
        ({"countries": ["QQ"]}, "Select a valid choice."),
        ({}, "This field is required."),
    ],
)
def test_bad_input_is_refused_in_the_form(countries, editor_client, fields, message):
    data = {"file": xml("activities-2.03.xml")} if fields and "file" not in fields else {}
    response = editor_client.post(UPLOAD_URL, {**data, **fields})
    assert response.status_code == 400 and message in response.content.decode()
    assert not IatiUpload.objects.exists()


def test_a_file_over_the_limit_is_sent_to_the_command(countries, editor_client, settings):
    settings.IATI_UPLOAD_MAX_SIZE = 1024
    response = editor_client.post(UPLOAD_URL, {"file": xml("activities-2.03.xml")})
    assert response.status_code == 400 and "manage.py import_iati" in response.content.decode()


def test_only_the_uploader_sees_or_confirms_the_upload(countries, editor_client, publisher):
    item = upload(editor_client)
    run_worker()
    other = Client()
    other.force_login(publisher)
    assert other.get(reverse("admin:funding_iatifile_upload_state", args=[item.pk])).status_code == 404
    assert confirm(other, item).status_code == 404
    run_worker()
    assert not Project.objects.exists()


def test_without_permission_there_is_no_upload(countries, client, staff_without_permissions):
    client.force_login(staff_without_permissions)
    assert client.get(UPLOAD_URL).status_code == 403
    assert client.post(UPLOAD_URL, {"file": xml("activities-2.03.xml")}).status_code == 403
    assert not IatiUpload.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(countries, client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_stage_that_fails_ends_as_stopped(countries, editor_client, monkeypatch):
    from funding.iati import background

    def broken(*args, **kwargs):
        raise RuntimeError("disk full (invented)")

    monkeypatch.setattr(background, "iati_files_import", broken)
    item = upload(editor_client)
    run_worker()
    item.refresh_from_db()
    assert item.stage == ImportStage.FAILED and "disk full" in item.error
    assert "Upload a file" in state(editor_client, item)


def test_the_russian_admin_speaks_russian(countries, editor_client):
    editor_client.cookies["django_language"] = "ru"
    content = editor_client.get(UPLOAD_URL, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Проверить файл" in content


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_command_checks_and_imports(countries, editor, seeded_sectors):
    """`manage.py db_worker --batch`, as deployed, outside any test transaction."""
    from django.core.management import call_command

    client = Client()
    client.force_login(editor)
    item = upload(client)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    item.refresh_from_db()
    assert item.stage == ImportStage.CHECKED and item.summary["activities"] > 6
    confirm(client, item)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    item.refresh_from_db()
    assert item.stage == ImportStage.IMPORTED
    assert Project.objects.filter(source_kind="iati").count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_activities_read_are_written_outside_the_import_transaction(editor):
    from django.db import connection, transaction

    from dialogues.import_background import ProgressWriter

    if connection.vendor != "postgresql":
        pytest.skip("the count is written on PostgreSQL only")
    item = IatiUpload.objects.create(data=b"x", file_name="a.xml", user=editor, stage=ImportStage.CHECKING)
    with pytest.raises(RuntimeError), transaction.atomic(), ProgressWriter(item, column="activities_done") as progress:
        progress(7)
        assert IatiUpload.objects.get(pk=item.pk).activities_done == 7  # committed by the other connection
        raise RuntimeError("the import rolls back")
    assert IatiUpload.objects.get(pk=item.pk).activities_done == 7


def test_a_stage_silent_for_long_says_its_worker_stopped(countries, editor_client):
    import datetime

    from django.utils import timezone

    item = upload(editor_client)
    IatiUpload.objects.filter(pk=item.pk).update(
        stage=ImportStage.IMPORTING, updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = state(editor_client, item)
    assert "No news from the worker" in page and 'http-equiv="refresh"' not in page and "Upload a file" in page


def test_uploads_older_than_a_day_are_forgotten(countries, editor_client):
    import datetime

    from django.utils import timezone

    old = upload(editor_client)
    IatiUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    upload(editor_client)
    assert not IatiUpload.objects.filter(pk=old.pk).exists()
    assert editor_client.get(reverse("admin:funding_iatifile_upload_state", args=[old.pk])).status_code == 404
