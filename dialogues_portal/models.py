"""What the portal keeps for itself, outside the content apps."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEPT_FOR = datetime.timedelta(days=1)  # an upload is deleted after this, imported or not


class ImportStage(models.TextChoices):
    """Where an upload stands. A file small enough for one request is checked and imported in the
    request ("uploaded" until confirmed); a larger one goes through the task worker
    (dialogues/import_background.py): waiting, checking, then checked or refused; once confirmed,
    waiting again, importing, then imported or failed."""

    UPLOADED = "uploaded", _("uploaded")
    CHECK_WAITING = "check_waiting", _("waiting to be checked")
    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked: ready to import")
    REFUSED = "refused", _("refused: rows to correct")
    IMPORT_WAITING = "import_waiting", _("waiting to be imported")
    IMPORTING = "importing", _("being imported")
    IMPORTED = "imported", _("imported")
    FAILED = "failed", _("stopped: nothing imported")


class PendingImport(models.Model):
    """An uploaded spreadsheet between the admin's import preview and its confirmation, and the
    state of its check and import when the task worker runs them.

    Kept in the database (dialogues_portal/import_storage.py), not in the cache: the confirmation
    must work while Redis is down and on whichever app server it reaches. Never served to the
    public: only its uploader sees its state page in the admin, and its file is deleted once it is
    imported (the row, after a day)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # What the worker needs to run the import as the admin would (blank for an "uploaded" file).
    model = models.CharField(max_length=100, blank=True, default="", help_text="app_label.model_name")
    resource = models.CharField(max_length=200, blank=True, default="", help_text="the resource class's path")
    file_format = models.PositiveSmallIntegerField(null=True, blank=True, help_text="index in import_formats")
    file_name = models.CharField(max_length=255, blank=True, default="")
    language = models.CharField(max_length=10, blank=True, default="", help_text="the editor's, for the messages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    stage = models.CharField(max_length=20, choices=ImportStage.choices, default=ImportStage.UPLOADED)
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="the file's record rows")
    rows_done = models.PositiveIntegerField(default=0, help_text="written on PostgreSQL while a stage runs")
    outcome = models.TextField(blank=True, default="", help_text="the check's errors or preview, as HTML")
    totals = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()  # no one edits these: the import writes and deletes them
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=ImportStage.values), name="pendingimport_stage_valid"),
            # the worker's runs know whose import it is, on which model, from which file
            models.CheckConstraint(
                condition=Q(stage=ImportStage.UPLOADED)
                | (
                    Q(user__isnull=False, file_format__isnull=False, rows__isnull=False)
                    & ~Q(model="")
                    & ~Q(resource="")
                ),
                name="pendingimport_background_complete",
            ),
        ]

    def __str__(self):
        return str(self.id)

    @classmethod
    def forget_old(cls):
        """Delete the uploads older than KEPT_FOR, whatever became of them."""
        cls.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
