"""IATI files uploaded in the admin, checked and imported by the task worker.

An EU activity file holds thousands of activities, more than a request may take, so the admin keeps
the upload as an IatiUpload and queues its check: a dry run of exactly what `manage.py import_iati`
runs (funding/iati/importer.py), rolled back, whose summary (created, updated, unchanged, skipped
with reasons, warnings) is the editor's preview. Confirming queues the import itself, one
transaction as the command's. The editor's page (funding/admin_iati.py) follows the stages, as a
spreadsheet's background import does (dialogues/import_background.py, whose stages, progress
writer and stall rule these reuse).
"""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from dialogues.import_background import ProgressWriter
from dialogues_portal.models import ImportStage

from .models import IatiUpload

logger = logging.getLogger(__name__)


def queue_check(*, data, file_name, user, publish, countries, sectors):
    """Keep an upload and queue its check; the IatiUpload."""
    IatiUpload.forget_old()
    upload = IatiUpload.objects.create(
        data=data,
        file_name=file_name[: IatiUpload._meta.get_field("file_name").max_length],
        user=user,
        publish=publish,
        countries=sorted(countries),
        sectors=sorted(sectors),
        language=translation.get_language() or "",
        stage=ImportStage.CHECK_WAITING,
    )
    check_iati_upload.enqueue(str(upload.pk))
    return upload


def queue_import(upload):
    """Queue the import of a checked upload; False if it is not (or no longer) waiting for that."""
    queued = IatiUpload.objects.filter(pk=upload.pk, stage=ImportStage.CHECKED).update(
        stage=ImportStage.IMPORT_WAITING, activities_done=0
    )
    if queued:
        import_iati_upload.enqueue(str(upload.pk))
    return bool(queued)


@task()
def check_iati_upload(upload_id):
    """The dry run of an uploaded file: what the import would do, nothing written."""
    _run_stage(upload_id, ImportStage.CHECK_WAITING, ImportStage.CHECKING, dry_run=True)


@task()
def import_iati_upload(upload_id):
    """The import of a checked upload, in one transaction."""
    _run_stage(upload_id, ImportStage.IMPORT_WAITING, ImportStage.IMPORTING, dry_run=False)


def iati_files_import(**kwargs):
    """The command's import (importer.py), loaded when a task worker runs it: a web worker, which
    only queues uploads, never loads the XML parser and the mapping (lxml: about 5 MB a worker)."""
    from .importer import iati_files_import as run

    return run(**kwargs)


def _run_stage(upload_id, waiting, running, *, dry_run):
    from .parse import IatiFileError  # in the task worker only: see iati_files_import

    # only the worker that moves the upload on from "waiting" runs the stage (a task run twice)
    if not IatiUpload.objects.filter(pk=upload_id, stage=waiting).update(stage=running, activities_done=0):
        return
    upload = IatiUpload.objects.select_related("user").get(pk=upload_id)
    with (
        translation.override(upload.language or settings.LANGUAGE_CODE),
        ProgressWriter(upload, column="activities_done") as progress,
    ):
        try:
            summary = _import(upload, dry_run=dry_run, progress=progress)
        except IatiFileError as error:  # the file itself is refused: nothing to import
            _finish(upload, ImportStage.REFUSED, error=str(error))
            return
        except Exception as error:  # whatever else goes wrong, the stage ends; the log keeps the traceback
            logger.exception("The IATI upload %s stopped", upload_id)
            _finish(upload, ImportStage.FAILED, error=_("The import stopped: %(error)s") % {"error": error})
            return
    _finish(upload, ImportStage.CHECKED if dry_run else ImportStage.IMPORTED, summary=summary_data(summary))


def _import(upload, *, dry_run, progress):
    """Runs the command's import on the upload, written under its own name (which the imported
    file's record and source take) in a folder of its own."""
    done = 0

    def count():
        nonlocal done
        done += 1
        progress(done)

    with tempfile.TemporaryDirectory(prefix="iati-upload-") as folder:
        path = Path(folder) / (get_valid_filename(Path(upload.file_name).name) or "activities.xml")
        path.write_bytes(bytes(upload.data))
        return iati_files_import(
            paths=[path],
            user=upload.user,
            publish=upload.publish,
            countries=upload.countries or None,
            sectors=upload.sectors,
            dry_run=dry_run,
            progress=count,
        )


def summary_data(summary):
    """An ImportSummary as the upload keeps it (JSON): counts, then what was skipped and why."""
    return {
        "activities": sum(count for _name, count in summary.files),
        "created": len(summary.created),
        "updated": len(summary.updated),
        "unchanged": len(summary.unchanged),
        "skipped": [[str(identifier), str(reason)] for identifier, reason in summary.skipped],
        "warnings": [str(warning) for warning in summary.warnings],
    }


def _finish(upload, stage, **fields):
    if stage == ImportStage.IMPORTED:
        fields["data"] = b""  # imported: the file is not kept
    IatiUpload.objects.filter(pk=upload.pk).update(stage=stage, **fields)
