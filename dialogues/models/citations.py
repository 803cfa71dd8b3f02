"""Citations of single values: which source states a record's date, number, place or amount.

A record's `sources` say where the record as a whole comes from; a Citation ties one of its fields
to the source that states it, or says that the value was inferred and from what. Where sources
disagree, each reading stands as a citation of its own (`reading`: the value that source gives),
and its note says which reading the portal shows and why.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CitationBasis(models.TextChoices):
    STATED = "stated", _("stated by the source")
    INFERRED = "inferred", _("inferred")


class Citation(models.Model):
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        _("field"), max_length=60, help_text=_("The field whose value is cited, e.g. held_on or sequence_number.")
    )
    source = models.ForeignKey(
        "dialogues.Source", verbose_name=_("source"), related_name="citations", on_delete=models.PROTECT
    )
    basis = models.CharField(_("basis"), max_length=8, choices=CitationBasis.choices, default=CitationBasis.STATED)
    reading = models.CharField(
        _("other reading"),
        max_length=300,
        blank=True,
        help_text=_("Only where this source gives another value than the one shown: that value."),
    )
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("How the value was inferred, or why the portal shows another reading."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["content_type", "object_id", "field", "reading", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "source", "reading"], name="citation_unique"
            ),
            models.CheckConstraint(condition=~Q(field=""), name="citation_names_a_field"),
            models.CheckConstraint(condition=Q(basis__in=CitationBasis.values), name="citation_basis_valid"),
            models.CheckConstraint(
                condition=(Q(basis=CitationBasis.STATED) & Q(reading="")) | ~Q(note=""),
                name="citation_inference_and_reading_explained",
            ),
        ]

    def __str__(self):
        return f"{self.field}: {self.source}"

    @property
    def is_alternative(self):
        return bool(self.reading)

    def clean(self):
        model = self.content_type.model_class() if self.content_type_id else None
        if model is not None:
            try:
                model._meta.get_field(self.field)
            except FieldDoesNotExist:
                raise ValidationError({"field": _("This kind of record has no field of that name.")}) from None


def citations_relation():
    """The reverse relation a citable model declares: `record.citations.all()`."""
    return GenericRelation(Citation)
