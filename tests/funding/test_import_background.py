"""A spreadsheet too large for one request: checked and imported by the task worker, all or nothing.

settings.IMPORT_BACKGROUND_ROWS is lowered so that a few rows stand for a full 5 MB file.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dialogues_portal.models import ImportStage, PendingImport
from funding.models import Project
from tests.factories import make_country, make_programme, make_source, make_topic
from tests.spreadsheets import admin_url, csv_file, preview

pytestmark = pytest.mark.django_db

ROWS = 6


@pytest.fixture(autouse=True)
def large_means_more_than_three_rows(settings):
    settings.IMPORT_BACKGROUND_ROWS = 3


@pytest.fixture
def known(db):
    return {
        "kz": make_country("KZ", slug="kazakhstan"),
        "topic": make_topic(slug="torture-prevention"),
        "programme": make_programme(slug="eidhr"),
        "source": make_source(title="EU Delegation press release, 2010"),
    }


def rows(known, count=ROWS, **changes):
    return [
        {
            "title": f"Background import project {n}",
            "programme": "eidhr",
            "countries": "KZ",
            "topics": "torture-prevention",
            "eu_contribution_eur": "1000.00",
            "starts_on": "2010",
            "sources": str(known["source"].pk),
            **changes,
        }
        for n in range(1, count + 1)
    ]


def run_worker():
    """What `manage.py db_worker` does, once for every waiting task, inside the test's transaction."""
    for task in DBTaskResult.objects.ready():
        task.task.call(*task.task_result.args, **task.task_result.kwargs)
        DBTaskResult.objects.filter(pk=task.pk).delete()


def state_url(pending):
    return reverse("admin:funding_project_import_state", args=[pending.pk])


def upload(client, known, **changes):
    response = preview(client, Project, csv_file(rows(known, **changes), name="large.csv"))
    assert response.status_code == 302, response.content.decode()[:2000]
    pending = PendingImport.objects.get()
    assert response["Location"] == state_url(pending)
    return pending


def test_a_large_file_is_checked_by_the_worker_then_imported_by_it(editor_client, editor, known):
    pending = upload(editor_client, known)
    assert (pending.stage, pending.rows, pending.user) == (ImportStage.CHECK_WAITING, ROWS, editor)
    assert Project.objects.count() == 0

    waiting = editor_client.get(state_url(pending))
    assert waiting.status_code == 200
    assert '<meta http-equiv="refresh"' in waiting.content.decode()
    assert "Waiting for the worker" in waiting.content.decode()

    run_worker()
    checked = editor_client.get(state_url(pending))
    page = checked.content.decode()
    assert PendingImport.objects.get().stage == ImportStage.CHECKED
    assert "http-equiv" not in page  # nothing running: no refresh
    assert f"{ROWS} rows: {ROWS} new, 0 changed, 0 unchanged." in page
    assert "Background import project 1" in page
    assert Project.objects.count() == 0  # the check is a dry run

    confirmed = editor_client.post(reverse("admin:funding_project_import_start", args=[pending.pk]))
    assert confirmed.status_code == 302
    assert PendingImport.objects.get().stage == ImportStage.IMPORT_WAITING
    assert Project.objects.count() == 0

    run_worker()
    stored = PendingImport.objects.get()
    assert stored.stage == ImportStage.IMPORTED
    assert bytes(stored.data) == b""  # the file is not kept once imported
    assert Project.objects.count() == ROWS
    project = Project.objects.get(title="Background import project 1")
    assert project.publication_status == "draft"
    assert project.history.get().history_user == editor
    assert "large.csv" in project.history.get().history_change_reason

    done = editor_client.get(state_url(pending), follow=True)
    assert done.redirect_chain[0][0] == admin_url(Project, "changelist")
    assert f"Import finished: {ROWS} new, 0 changed and 0 unchanged projects." in done.content.decode()
    assert not PendingImport.objects.exists()


def test_a_small_file_is_still_checked_in_the_request(editor_client, known):
    response = preview(editor_client, Project, csv_file(rows(known, count=3)))
    assert response.status_code == 200
    assert "confirm_form" in response.context
    assert not DBTaskResult.objects.exists()


def test_a_large_file_with_an_invalid_row_is_refused_with_its_rows_and_nothing_is_written(editor_client, known):
    pending = upload(editor_client, known, eu_contribution_eur="-5")
    run_worker()
    page = editor_client.get(state_url(pending)).content.decode()
    assert PendingImport.objects.get().stage == ImportStage.REFUSED
    assert "Rows that cannot be imported" in page
    assert "Row 2" in page
    assert 'enctype="multipart/form-data"' in page  # the upload form, to send the corrected file
    assert "import_start" not in page and "Confirm import" not in page
    refused = editor_client.post(reverse("admin:funding_project_import_start", args=[pending.pk]), follow=True)
    assert "not waiting for a confirmation" in refused.content.decode()
    assert not DBTaskResult.objects.exists()
    assert Project.objects.count() == 0


def test_a_cell_of_the_file_is_escaped_in_the_kept_outcome(editor_client, known):
    pending = upload(editor_client, known, summary='<script>alert("x")</script>')
    run_worker()
    page = editor_client.get(state_url(pending)).content.decode()
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;" in page


def test_a_second_confirmation_queues_nothing(editor_client, known):
    pending = upload(editor_client, known)
    run_worker()
    start = reverse("admin:funding_project_import_start", args=[pending.pk])
    editor_client.post(start)
    again = editor_client.post(start, follow=True)
    assert "not waiting for a confirmation" in again.content.decode()
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert Project.objects.count() == ROWS


def test_an_import_that_breaks_a_rule_at_the_confirmation_writes_nothing(editor_client, known):
    pending = upload(editor_client, known)
    run_worker()
    # between the check and the confirmation, the programme the rows name goes away
    known["programme"].slug = "renamed"
    known["programme"].save()
    editor_client.post(reverse("admin:funding_project_import_start", args=[pending.pk]))
    run_worker()
    page = editor_client.get(state_url(pending)).content.decode()
    assert PendingImport.objects.get().stage == ImportStage.FAILED
    assert Project.objects.count() == 0
    assert "eidhr" in page  # the row's error names the programme it cannot find


def test_a_worker_error_stops_the_import_with_nothing_written(editor_client, known, monkeypatch):
    pending = upload(editor_client, known)
    run_worker()
    editor_client.post(reverse("admin:funding_project_import_start", args=[pending.pk]))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("dialogues.import_bulk.write_history", broken)
    monkeypatch.setattr("dialogues.import_export.write_history", broken)
    run_worker()
    assert PendingImport.objects.get().stage == ImportStage.FAILED
    assert Project.objects.count() == 0
    page = editor_client.get(state_url(pending)).content.decode()
    assert "Nothing was imported" in page
    assert "disk full" in page


def test_only_the_uploader_sees_or_confirms_an_import(editor_client, known, publisher):
    pending = upload(editor_client, known)
    run_worker()
    other = Client()
    other.force_login(publisher)
    assert other.get(state_url(pending)).status_code == 404
    assert other.post(reverse("admin:funding_project_import_start", args=[pending.pk])).status_code == 404
    assert PendingImport.objects.get().stage == ImportStage.CHECKED
    # the same id under another model's import is not this one either
    assert editor_client.get(reverse("admin:seminars_seminar_import_state", args=[pending.pk])).status_code == 404


def test_the_state_page_refuses_the_public_and_a_get_confirmation(client, editor_client, known):
    pending = upload(editor_client, known)
    assert editor_client.get(reverse("admin:funding_project_import_start", args=[pending.pk])).status_code == 405
    client.logout()
    response = client.get(state_url(pending))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_worker_runs_a_task_only_once(editor_client, known):
    pending = upload(editor_client, known)
    [task] = DBTaskResult.objects.ready()
    run_worker()
    task.task.call(*task.task_result.args, **task.task_result.kwargs)  # the same task again
    assert PendingImport.objects.get(pk=pending.pk).stage == ImportStage.CHECKED


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_command_checks_and_imports(known, editor):
    """`manage.py db_worker --batch`, as deployed, outside any test transaction."""
    client = Client()
    client.force_login(editor)
    pending = upload(client, known)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert PendingImport.objects.get().stage == ImportStage.CHECKED
    client.post(reverse("admin:funding_project_import_start", args=[pending.pk]))
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert PendingImport.objects.get().stage == ImportStage.IMPORTED
    assert Project.objects.count() == ROWS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_progress_is_written_outside_the_import_transaction(editor, known):
    """The stage's transaction hides everything it writes until it ends: the count goes through a
    connection of its own, so the editor's page sees it while the stage runs, and it outlives a
    rollback."""
    from django.db import connection, transaction

    from dialogues.import_background import ProgressWriter

    if connection.vendor != "postgresql":
        pytest.skip("the count is written on PostgreSQL only")
    pending = PendingImport.objects.create(
        data=b"x", model="funding.project", resource="r", file_format=0, rows=10, user=editor, stage="checking"
    )
    with pytest.raises(RuntimeError), transaction.atomic(), ProgressWriter(pending) as progress:
        progress(7)
        assert PendingImport.objects.get(pk=pending.pk).rows_done == 7  # committed by the other connection
        raise RuntimeError("the import rolls back")
    assert PendingImport.objects.get(pk=pending.pk).rows_done == 7


def test_an_editor_working_in_russian_reads_the_page_and_the_outcome_in_russian(editor_client, known):
    editor_client.cookies["django_language"] = "ru"
    pending = upload(editor_client, known, eu_contribution_eur="-5")
    assert PendingImport.objects.get().language == "ru"
    assert "Ожидание фонового обработчика" in editor_client.get(state_url(pending)).content.decode()
    run_worker()  # in the worker, the messages are rendered in the uploader's language
    page = editor_client.get(state_url(pending)).content.decode()
    assert "Отклонён: есть строки для исправления" in page
    assert "Строка 2" in page


def test_a_stage_silent_for_long_says_its_worker_stopped_and_offers_the_upload(editor_client, known):
    import datetime

    from django.utils import timezone

    pending = upload(editor_client, known)
    PendingImport.objects.filter(pk=pending.pk).update(
        stage=ImportStage.IMPORTING, updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = editor_client.get(state_url(pending)).content.decode()
    assert "No news from the worker" in page
    assert "http-equiv" not in page  # it stops refreshing
    assert 'enctype="multipart/form-data"' in page


def test_uploads_older_than_a_day_are_forgotten_at_the_next_upload(editor_client, known):
    import datetime

    from django.utils import timezone

    old = upload(editor_client, known)
    PendingImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    preview(editor_client, Project, csv_file(rows(known), name="again.csv"))
    assert list(PendingImport.objects.values_list("file_name", flat=True)) == ["again.csv"]


def test_a_stage_that_cannot_even_start_ends_as_stopped_not_waiting_forever(editor_client, known):
    pending = upload(editor_client, known)
    PendingImport.objects.filter(pk=pending.pk).update(model="funding.nosuchmodel")
    run_worker()
    assert PendingImport.objects.get().stage == ImportStage.FAILED
