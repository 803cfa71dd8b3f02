"""Spreadsheet imports too large for one request, checked and imported by the task worker.

A file with more record rows than settings.IMPORT_BACKGROUND_ROWS would outlast the app server's
request timeout (a full 5 MB file holds about 15,000 rows), so the admin keeps it as a PendingImport
and queues a task (Django's tasks framework, run by `manage.py db_worker`). The editor's page
(PublishableImportExportMixin.import_state_view) shows the stage, refreshing itself, and then the
same preview or row errors as a small file's. Confirming queues the import itself.

Both stages run exactly what the admin runs in a request (the model admin's formats and resource,
the editor as the user, one transaction): the check is a dry run that is rolled back; the import
writes every row or none (any invalid row rolls it back, as a request's confirmation does).
"""

import datetime
import logging
import time
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connections, router
from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export.results import RowResult
from import_export.signals import post_import

from dialogues_portal.models import ImportStage, PendingImport

logger = logging.getLogger(__name__)

RUNNING = (ImportStage.CHECK_WAITING, ImportStage.CHECKING, ImportStage.IMPORT_WAITING, ImportStage.IMPORTING)
PROGRESS_EVERY = 2.0  # seconds between two progress writes
# A stage with no news for this long was most likely stopped with its worker (its transaction,
# and so anything it wrote, rolled back); the editor's page says so. Generous: on SQLite a stage
# writes no progress until it ends.
SILENT_FOR = datetime.timedelta(minutes=30)


def has_stalled(pending):
    return pending.stage in RUNNING and timezone.now() - pending.updated_at > SILENT_FOR


def model_label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def queue_check(model_admin, request, form, dataset):
    """Keep an upload whose dataset is too large for the request, and queue its check; None when
    the request can do it. `form` is the model admin's valid import form."""
    if dataset.height <= settings.IMPORT_BACKGROUND_ROWS:
        return None
    PendingImport.forget_old()
    upload = form.cleaned_data["import_file"]
    resource = model_admin.choose_import_resource_class(form, request)
    pending = PendingImport.objects.create(
        data=b"".join(upload.chunks()),
        model=model_label(model_admin.model),
        resource=f"{resource.__module__}.{resource.__qualname__}",
        file_format=int(form.cleaned_data["format"]),
        file_name=upload.name[: PendingImport._meta.get_field("file_name").max_length],
        language=translation.get_language() or "",
        user=request.user,
        stage=ImportStage.CHECK_WAITING,
        rows=dataset.height,
    )
    check_import.enqueue(str(pending.pk))
    return pending


def queue_import(pending):
    """Queue the import of a checked file; False if it is not (or no longer) waiting for that:
    a second click, or a file another request already queued."""
    queued = PendingImport.objects.filter(pk=pending.pk, stage=ImportStage.CHECKED).update(
        stage=ImportStage.IMPORT_WAITING, rows_done=0
    )
    if queued:
        run_import.enqueue(str(pending.pk))
    return bool(queued)


@task()
def check_import(pending_id):
    """The dry run of a kept upload: its preview, or the rows to correct."""
    _run_stage(pending_id, ImportStage.CHECK_WAITING, ImportStage.CHECKING, dry_run=True)


@task()
def run_import(pending_id):
    """The import of a checked upload, in one transaction."""
    _run_stage(pending_id, ImportStage.IMPORT_WAITING, ImportStage.IMPORTING, dry_run=False)


def _run_stage(pending_id, waiting, running, *, dry_run):
    # Only the worker that moves the upload on from "waiting" runs the stage: a task run twice
    # (a worker restarted mid-task) finds nothing to do.
    if not PendingImport.objects.filter(pk=pending_id, stage=waiting).update(stage=running, rows_done=0):
        return
    pending = PendingImport.objects.select_related("user").get(pk=pending_id)
    with translation.override(pending.language or settings.LANGUAGE_CODE), ProgressWriter(pending) as progress:
        try:  # whatever goes wrong, the stage ends, and the editor's page stops waiting
            model_admin = admin.site._registry[apps.get_model(pending.model)]
            result = _import(model_admin, pending, dry_run=dry_run, progress=progress)
        except Exception as error:  # the editor's page says so; the log keeps the traceback
            logger.exception("The background import %s stopped", pending_id)
            _finish(pending, ImportStage.FAILED, error=_("The import stopped: %(error)s") % {"error": error})
            return
        error = ""
        if result.has_errors() or result.has_validation_errors():
            stage = ImportStage.REFUSED if dry_run else ImportStage.FAILED
            error = _("Nothing was imported: a row is not valid. Correct the file and upload it again.")
        elif dry_run:
            stage = ImportStage.CHECKED
        else:
            model_admin.generate_log_entries(result, SimpleNamespace(user=pending.user))
            post_import.send(sender=None, model=model_admin.model)
            stage = ImportStage.IMPORTED
        outcome = render_to_string(
            "admin/import_export/import_outcome.html",
            {"result": result, "import_error_display": model_admin.import_error_display},
        )
    _finish(pending, stage, outcome=outcome, totals=dict(result.totals), error=error)


def _import(model_admin, pending, *, dry_run, progress):
    input_format = model_admin.get_import_formats()[pending.file_format]()
    if not input_format.is_binary():
        input_format.encoding = model_admin.from_encoding
    dataset = input_format.create_dataset(bytes(pending.data))
    resource = import_string(pending.resource)()
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        # as the admin's confirmation: a row that no longer validates rolls the whole import back
        rollback_on_validation_errors=not dry_run,
        retain_instance_in_row_result=not dry_run,  # for the admin log's entries
        file_name=pending.file_name,
        user=pending.user,
        progress=progress,
    )


def _finish(pending, stage, **fields):
    if stage == ImportStage.IMPORTED:
        fields["data"] = b""  # imported: the file is not kept
    PendingImport.objects.filter(pk=pending.pk).update(stage=stage, rows_done=F("rows"), **fields)


class ProgressWriter:
    """Writes how many rows a running stage has read, for the editor's page.

    The stage runs in one transaction, which no other connection sees into until it ends, so the
    count goes through a connection of its own, committed at once. Only on PostgreSQL: SQLite
    allows one writer, and a second connection would wait for the import's own lock."""

    def __init__(self, pending, column="rows_done"):
        self.pending_id, self.connection, self.written_at = pending.pk, None, 0.0
        self.model, self.column = type(pending), column  # a PendingImport, or an IatiUpload

    def __enter__(self):
        alias = router.db_for_write(self.model)
        if connections[alias].vendor == "postgresql":
            self.connection = connections.create_connection(alias)
        return self

    def __exit__(self, *exc_info):
        if self.connection is not None:
            self.connection.close()

    def __call__(self, rows_done):
        now = time.monotonic()
        if self.connection is None or now - self.written_at < PROGRESS_EVERY:
            return
        self.written_at = now
        table = self.connection.ops.quote_name(self.model._meta.db_table)
        column = self.connection.ops.quote_name(self.column)
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s, updated_at = %s WHERE id = %s",  # noqa: S608 (names of our own)
                    [rows_done, timezone.now(), self.pending_id],
                )
        except DatabaseError:  # a count is not worth stopping an import for
            logger.warning("Could not write the progress of the import %s", self.pending_id, exc_info=True)


def success_message(model, totals):
    return _("Import finished: %(new)s new, %(update)s changed and %(skip)s unchanged %(records)s.") % {
        "new": totals.get(RowResult.IMPORT_TYPE_NEW, 0),
        "update": totals.get(RowResult.IMPORT_TYPE_UPDATE, 0),
        "skip": totals.get(RowResult.IMPORT_TYPE_SKIP, 0),
        "records": model._meta.verbose_name_plural,
    }
