"""Civil society seminars and forums held around the dialogues, and their recommendations."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.choices import Qualifier
from dialogues.models import Concern, Country, DialogueRound, Organisation, Source, Topic, citations_relation
from dialogues.partial_dates import PartialDateProperty, normalise_partial_dates, precision_constraint, precision_field
from dialogues.publishing import PublishableModel

from .querysets import SeminarQuerySet


class SeminarKind(models.TextChoices):
    SEMINAR = "seminar", _("civil society seminar")
    FORUM = "forum", _("civil society forum")


class Seminar(PublishableModel):
    # full-text search in both languages; the stored document and its GIN index are built on exactly these
    SEARCH_FIELDS = ("title_en", "title_ru", "summary_en", "summary_ru", "city_en", "city_ru")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=7, choices=SeminarKind.choices, default=SeminarKind.SEMINAR)
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries"),
        related_name="seminars",
        help_text=_("One country, or several for a regional event."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("Blank when no source says."))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_on_precision = precision_field(_("precision of the date"))
    date_note = models.CharField(
        _("date as the source gives it"),
        max_length=200,
        blank=True,
        help_text=_("When the source dates the event only indirectly, its words."),
    )
    dialogue_round = models.ForeignKey(
        DialogueRound,
        verbose_name=_("dialogue round it feeds"),
        related_name="seminars",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="seminars", blank=True)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), related_name="organised_seminars", blank=True
    )
    participating_organisations = models.PositiveIntegerField(
        _("participating organisations"), null=True, blank=True, help_text=_("Blank when unknown.")
    )
    participating_organisations_qualifier = models.CharField(
        _("qualifier of the number"), max_length=9, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    edition = models.PositiveSmallIntegerField(
        _("edition"), null=True, blank=True, help_text=_("E.g. 4 for the fourth forum; blank when unknown.")
    )
    online = models.BooleanField(_("held online"), null=True, blank=True, help_text=_("Blank when no source says."))
    theme = models.CharField(_("theme"), max_length=300, blank=True, default="", db_default="")
    concerns = models.ManyToManyField(
        Concern,
        verbose_name=_("concerns discussed"),
        related_name="seminars",
        blank=True,
        help_text=_("The follow-up tracker's concerns this seminar discussed."),
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="seminars", blank=True)

    objects = SeminarQuerySet.as_manager()
    held = PartialDateProperty("held_on")
    citations = citations_relation()
    history = HistoricalRecords(m2m_fields=[countries, topics, organisers, concerns, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = [models.F("held_on").desc(nulls_last=True), "title", "id"]
        constraints = [
            precision_constraint("seminar", "held_on"),
            models.CheckConstraint(
                condition=Q(edition__isnull=True) | Q(edition__gte=1), name="seminar_edition_from_one"
            ),
        ]
        indexes = [models.Index(fields=["publication_status", "held_on"], name="seminar_public_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("seminar-detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        normalise_partial_dates(self, "held_on")
        super().save(*args, **kwargs)


class PartnerResponse(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    NOTED = "noted", _("noted")
    NO_RESPONSE = "no_response", _("no response")


class Recommendation(models.Model):
    """One recommendation a seminar addressed to the dialogue, in the seminar's words."""

    seminar = models.ForeignKey(
        Seminar, verbose_name=_("seminar"), related_name="recommendations", on_delete=models.CASCADE
    )
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    concerns = models.ManyToManyField(
        Concern, verbose_name=_("concerns addressed"), related_name="recommendations", blank=True
    )
    partner_response = models.CharField(
        _("partner's response"),
        max_length=11,
        choices=PartnerResponse.choices,
        blank=True,
        help_text=_("Only where a source gives it; blank otherwise."),
    )
    partner_response_source = models.ForeignKey(
        Source,
        verbose_name=_("source of the response"),
        related_name="recommendation_responses",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    history = HistoricalRecords(m2m_fields=[concerns])

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["seminar", "position"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "position"], name="recommendation_unique_position"),
            models.CheckConstraint(condition=~Q(text=""), name="recommendation_text_not_empty"),
            models.CheckConstraint(
                condition=Q(partner_response="", partner_response_source__isnull=True)
                | (~Q(partner_response="") & Q(partner_response_source__isnull=False)),
                name="recommendation_response_cited",
            ),
        ]

    def __str__(self):
        return self.text[:80]
