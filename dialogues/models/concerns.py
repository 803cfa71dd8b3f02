"""The follow-up tracker: the concerns the EU raises with a country, and what became of each.

A Concern is one specific issue raised with one country. Its history is a list of entries, one per
occasion (a dialogue round or Sub-Committee meeting, or a dated statement), each with the status
at that moment and who asserts it. What is derived from the history (the current status, how
often it was raised, stagnation) is computed from the entries (dialogues/tracker.py), never typed.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..partial_dates import (
    PartialDate,
    PartialDateProperty,
    normalise_partial_dates,
    precision_constraint,
    precision_field,
)
from ..publishing import PublishableModel
from ..querysets import ConcernEntryQuerySet, ConcernQuerySet
from .citations import citations_relation
from .core import Country, DialogueRound, Source, Topic, slug_unique_ignoring_case


class ConcernStatus(models.TextChoices):
    RAISED = "raised", _("raised")
    COMMITMENT = "commitment", _("partner commitment")
    PROGRESS = "progress", _("progress noted")
    RESOLVED = "resolved", _("resolved")
    DROPPED = "dropped", _("dropped")
    NOT_MENTIONED = "not_mentioned", _("not mentioned")


# Statuses of a concern still on the table: three rounds in a row at one of them is stagnation.
OPEN_STATUSES = (ConcernStatus.RAISED, ConcernStatus.COMMITMENT)


class Voice(models.TextChoices):
    """Who asserts a status: a government saying "implemented" is not the EU noting progress."""

    EU = "eu", _("the EU")
    PARTNER_GOVERNMENT = "partner_government", _("the partner government")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    UN_BODY = "un_body", _("a UN body")


class Concern(PublishableModel):
    """One specific human rights issue the EU raises with one country, under one or more topics."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("Its stable public identifier."))
    country = models.ForeignKey(Country, verbose_name=_("country"), related_name="concerns", on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200, help_text=_("Short and neutral."))
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="concerns", blank=True)
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="concerns", blank=True)

    objects = ConcernQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["country__name", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["country", "title"], name="concern_unique_title_per_country"),
            slug_unique_ignoring_case("concern"),
            models.CheckConstraint(condition=~Q(title=""), name="concern_has_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("concern-detail", kwargs={"slug": self.slug})


class ConcernEntry(PublishableModel):
    """What was said of a concern on one occasion: a round (its date is the round's) or a dated statement."""

    concern = models.ForeignKey(Concern, verbose_name=_("concern"), related_name="entries", on_delete=models.CASCADE)
    dialogue_round = models.ForeignKey(
        DialogueRound,
        verbose_name=_("dialogue round"),
        related_name="concern_entries",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The round or Sub-Committee meeting; leave blank for a dated statement."),
    )
    occasion = models.CharField(
        _("statement"),
        max_length=200,
        blank=True,
        help_text=_("For a statement outside a round: what it is, e.g. an NGO briefing before the round."),
    )
    stated_on = models.DateField(_("date of the statement"), null=True, blank=True)
    stated_on_precision = precision_field(_("precision of the date"))
    status = models.CharField(_("status"), max_length=13, choices=ConcernStatus.choices)
    asserted_by = models.CharField(_("asserted by"), max_length=18, choices=Voice.choices, default=Voice.EU)
    statement = models.TextField(_("what was said"), blank=True, help_text=_("In the editor's own words."))
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="concern_entries", blank=True)

    objects = ConcernEntryQuerySet.as_manager()
    stated = PartialDateProperty("stated_on")
    citations = citations_relation()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("concern history entry")
        verbose_name_plural = _("concern history entries")
        ordering = ["concern", "stated_on", "id"]
        constraints = [
            precision_constraint("concernentry", "stated_on"),
            # exactly one occasion: a round, whose date the entry takes, or a dated statement
            models.CheckConstraint(
                condition=(Q(dialogue_round__isnull=False) & Q(stated_on__isnull=True) & Q(occasion=""))
                | (Q(dialogue_round__isnull=True) & Q(stated_on__isnull=False) & ~Q(occasion="")),
                name="concernentry_one_occasion",
            ),
            models.UniqueConstraint(
                fields=["concern", "dialogue_round"],
                condition=Q(dialogue_round__isnull=False),
                name="concernentry_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["concern", "stated_on", "occasion"],
                condition=Q(dialogue_round__isnull=True),
                name="concernentry_once_per_statement",
            ),
            models.CheckConstraint(condition=Q(status__in=ConcernStatus.values), name="concernentry_status_valid"),
            models.CheckConstraint(condition=Q(asserted_by__in=Voice.values), name="concernentry_voice_valid"),
        ]
        indexes = [models.Index(fields=["dialogue_round"], name="concernentry_round")]

    def __str__(self):
        return f"{self.concern}: {self.get_status_display()} ({self.date})"

    @property
    def date(self) -> PartialDate | None:
        """The occasion's date: the round's, or the statement's."""
        return self.dialogue_round.held if self.dialogue_round_id else self.stated

    def clean(self):
        super().clean()
        if self.dialogue_round_id and self.concern_id and self.dialogue_round.country_id != self.concern.country_id:
            raise ValidationError({"dialogue_round": _("The round must be one with the concern's country.")})
        if self.dialogue_round_id and (self.stated_on or self.occasion):
            raise ValidationError(
                {"stated_on": _("An entry at a round takes the round's date: leave the statement's date blank.")}
            )
        if not self.dialogue_round_id and not (self.stated_on and self.occasion):
            raise ValidationError(
                {"dialogue_round": _("Choose the round, or describe the statement and give its date.")}
            )

    def save(self, *args, **kwargs):
        normalise_partial_dates(self, "stated_on")
        super().save(*args, **kwargs)
