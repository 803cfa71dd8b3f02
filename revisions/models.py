"""A change to a published record that waits for a Publisher's review.

"Only a Publisher publishes" covers what is already public: an Editor's change to a published
record (in the admin or through the API) is kept here, the public keeps seeing the published
version, and a Publisher accepts the change (it then goes live, as one history entry) or rejects
it. Publishers' own edits go live at once. Drafts are edited directly by anyone who may change them.

`changes` holds only the fields the proposal changes, with their proposed values; `base` holds the
same fields' values when it was made, so that accepting it never overwrites a change made since
(services.conflicts).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn by its author")


class RevisionOrigin(models.TextChoices):
    ADMIN = "admin", _("the admin")
    HISTORY = "history", _("a version restored from the history")
    API = "api", _("the API")


class PendingRevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RevisionStatus.PENDING)

    def of(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk)


class PendingRevision(models.Model):
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposed_revisions",
    )
    origin = models.CharField(_("proposed in"), max_length=7, choices=RevisionOrigin.choices)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    changes = models.JSONField(
        _("proposed values"), encoder=DjangoJSONEncoder, help_text=_("Only the fields the proposal changes.")
    )
    base = models.JSONField(
        _("values when proposed"), encoder=DjangoJSONEncoder, help_text=_("The same fields, as they were.")
    )
    status = models.CharField(
        _("status"), max_length=9, choices=RevisionStatus.choices, default=RevisionStatus.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_revisions",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("note of the review"), blank=True)

    objects = PendingRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("change waiting for review")
        verbose_name_plural = _("changes waiting for review")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="revision_record")]
        constraints = [
            # one proposal at a time per record: a second would be reviewed against a moving target
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status=RevisionStatus.PENDING),
                name="one_pending_revision_per_record",
                violation_error_message=_("This record already has a change waiting for review."),
            ),
            models.CheckConstraint(
                condition=Q(status=RevisionStatus.PENDING, reviewed_at__isnull=True)
                | (~Q(status=RevisionStatus.PENDING) & Q(reviewed_at__isnull=False)),
                name="revision_reviewed_when_decided",
            ),
            models.CheckConstraint(condition=~Q(changes={}), name="revision_changes_something"),
        ]

    def __str__(self):
        return _("Change #%(id)s to %(record)s") % {"id": self.pk, "record": self.record_label()}

    def record_label(self):
        record = self.record
        return str(record) if record is not None else f"{self.content_type} #{self.object_id}"
