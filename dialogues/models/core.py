"""Countries, topics, organisations, places, sources and dialogue rounds.

`seminars` and `funding` build on these; nothing here imports them.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower, Substr, Upper
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..country_codes import validate_iso_3166_alpha_2
from ..languages import TranslatedTextsModel
from ..partial_dates import (
    PartialDateProperty,
    normalise_partial_dates,
    precision_constraint,
    precision_field,
)
from ..publishing import PublishableModel
from ..querysets import CountryQuerySet, DialogueRoundQuerySet, OrganisationQuerySet, SourceQuerySet, TopicQuerySet
from ..titles import round_title
from .citations import citations_relation


class PublisherKind(models.TextChoices):
    """Who publishes a source, which says how to weigh it (an EU readout first on what the EU said)."""

    EU_INSTITUTION = "eu_institution", _("EU institution")
    PARTNER_GOVERNMENT = "partner_government", _("partner government")
    INTERNATIONAL = "international_organisation", _("international organisation")
    NGO = "ngo", _("non-governmental organisation")
    NEWS_MEDIUM = "news_medium", _("news medium")
    STUDY = "study", _("study")
    UNOFFICIAL_COPY = "unofficial_copy", _("unofficial copy of an official page")
    OTHER = "other", _("other")


class SourceKind(models.TextChoices):
    PRESS_RELEASE = "press_release", _("press release")
    NEWS = "news", _("news item")
    FACTSHEET = "factsheet", _("factsheet")
    WEB_PAGE = "web_page", _("web page")
    REPORT = "report", _("report")
    SYNTHETIC = "synthetic", _("synthetic (generated)")


class Source(PublishableModel):
    """A cited document. Every public record cites at least one: provenance is the portal's worth."""

    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True, help_text=_("Left blank when the document does not say.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices, blank=True)
    publisher_kind = models.CharField(
        _("kind of publisher"), max_length=26, choices=PublisherKind.choices, blank=True, db_index=True
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_on_precision = precision_field(_("precision of the publication date"))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    document = models.CharField(
        _("archived document"),
        max_length=200,
        blank=True,
        help_text=_("Where the portal keeps its copy of the document, e.g. shared/seeds/<file>."),
    )
    date_note = models.CharField(
        _("note on the date"),
        max_length=300,
        blank=True,
        help_text=_("E.g. how a year the page does not give was inferred from its context."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = SourceQuerySet.as_manager()
    published = PartialDateProperty("published_on")
    history = HistoricalRecords()

    class Meta(PublishableModel.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title", "id"]  # the id: one order among equal titles, page after page
        constraints = [precision_constraint("source", "published_on")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("source-detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        normalise_partial_dates(self, "published_on")
        super().save(*args, **kwargs)


def slug_unique_ignoring_case(model_name):
    """`rule-of-law` and `RULE-OF-LAW` are one identifier: a slug is unique whatever its case."""
    return models.UniqueConstraint(Lower("slug"), name=f"{model_name}_slug_unique_ignoring_case")


class Topic(PublishableModel):
    """A human rights theme shared by dialogue rounds, seminars and projects."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="topics", blank=True)

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [slug_unique_ignoring_case("topic")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topic-detail", kwargs={"slug": self.slug})


class EuAgreement(models.TextChoices):
    PCA = "pca", _("Partnership and Cooperation Agreement")
    TCA = "tca", _("Trade and Cooperation Agreement")
    EPCA = "epca", _("Enhanced Partnership and Cooperation Agreement")


class TradePreference(models.TextChoices):
    GSP = "gsp", _("GSP (Generalised Scheme of Preferences)")
    GSP_PLUS = "gsp_plus", _("GSP+ (special incentive arrangement)")


class Country(PublishableModel):
    iso_code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[validate_iso_3166_alpha_2],
        help_text=_("ISO 3166-1 alpha-2, e.g. KZ."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    eu_agreement = models.CharField(
        _("agreement framing EU relations"),
        max_length=4,
        choices=EuAgreement.choices,
        blank=True,
        help_text=_("Blank when no source says."),
    )
    trade_preference = models.CharField(
        _("EU trade preference"),
        max_length=8,
        choices=TradePreference.choices,
        blank=True,
        help_text=_("Blank when no source says."),
    )
    dialogue_started_on = models.DateField(_("human rights dialogue started"), null=True, blank=True)
    dialogue_started_on_precision = precision_field(_("precision of the start date"))
    dialogue_agreed_on = models.DateField(
        _("human rights dialogue agreed"),
        null=True,
        blank=True,
        help_text=_("When the dialogue was formally agreed, where a source says, apart from when it first met."),
    )
    dialogue_agreed_on_precision = precision_field(_("precision of the agreement date"))
    dialogue_start_form = models.TextField(
        _("form in which the dialogue started"),
        blank=True,
        help_text=_("E.g. an ad hoc dialogue in the margins of the Joint Committee."),
    )
    dialogue_topics = models.ManyToManyField(
        Topic, verbose_name=_("topics raised in the dialogue"), related_name="dialogue_countries", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="countries", blank=True)

    objects = CountryQuerySet.as_manager()
    dialogue_started = PartialDateProperty("dialogue_started_on")
    dialogue_agreed = PartialDateProperty("dialogue_agreed_on")
    citations = citations_relation()
    history = HistoricalRecords(m2m_fields=[dialogue_topics, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_code=Upper("iso_code"))
                & Q(Exact(Length("iso_code"), 2))
                # letters, not digits ("00"): each character from A to Z
                & Q(*(GreaterThanOrEqual(Substr("iso_code", i, 1), "A") for i in (1, 2)))
                & Q(*(LessThanOrEqual(Substr("iso_code", i, 1), "Z") for i in (1, 2))),
                name="country_iso_code_two_capitals",
            ),
            precision_constraint("country", "dialogue_started_on"),
            precision_constraint("country", "dialogue_agreed_on"),
            slug_unique_ignoring_case("country"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("country-detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.iso_code = self.iso_code.upper()
        normalise_partial_dates(self, "dialogue_started_on", "dialogue_agreed_on")
        super().save(*args, **kwargs)


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("non-governmental organisation")
    EU_INSTITUTION = "eu_institution", _("EU institution")
    EU_DELEGATION = "eu_delegation", _("EU delegation")
    GOVERNMENT = "government", _("government body")
    ACADEMIA = "academia", _("academia")
    INTERNATIONAL = "international", _("international organisation")
    MEDIA = "media", _("media")
    OTHER = "other", _("other")


class Organisation(PublishableModel):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    iati_ref = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        db_default="",  # rows written by COPY (synthetic data) or other raw inserts get it too
        help_text=_(
            "As IATI files give it (participating-org/@ref). An IATI import finds an implementer "
            "by this identifier first, then by name."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        related_name="organisations",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Blank for organisations not based in one of the five countries."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="organisations", blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            slug_unique_ignoring_case("organisation"),
            # one organisation per identifier, compared as the import compares it
            models.UniqueConstraint(
                Upper("iati_ref"), condition=~models.Q(iati_ref=""), name="organisation_iati_ref_unique"
            ),
        ]

    def __str__(self):
        return self.name


class PlaceKind(models.TextChoices):
    CITY = "city", _("city")
    REGION = "region", _("region")


class Place(TranslatedTextsModel):
    """A city or region where a seminar is held or a project works."""

    name = models.CharField(_("name"), max_length=100)
    country = models.ForeignKey(Country, verbose_name=_("country"), related_name="places", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=6, choices=PlaceKind.choices, default=PlaceKind.CITY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["country__name", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="place_unique_name_per_country")]

    def __str__(self):
        return f"{self.name} ({self.country.iso_code})"  # country is select_related wherever places are listed


class DialogueFormat(models.TextChoices):
    STRUCTURED = "structured", _("structured human rights dialogue")
    SUBCOMMITTEE = "subcommittee", _("Sub-Committee on Justice and Home Affairs, Human Rights and related issues")
    AD_HOC = "ad_hoc", _("ad hoc dialogue in the margins of the Joint Committee")


class DialogueSeries(models.TextChoices):
    """The two numbered series that carry a country's human rights dialogue, never added together."""

    DIALOGUE = "dialogue", _("human rights dialogue")
    SUBCOMMITTEE = "subcommittee", _("Sub-Committee meeting")


class NumberBasis(models.TextChoices):
    STATED = "stated", _("stated by the source")
    INFERRED = "inferred", _("inferred from the sequence")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    VIDEO = "video", _("by video conference")


class DialogueRound(PublishableModel):
    """One meeting of the EU and a country's officials on human rights: a round of the human
    rights dialogue, or a meeting of the Sub-Committee that carries it (Uzbekistan's)."""

    # full-text search in both languages; the stored document and its GIN index are built on exactly these
    SEARCH_FIELDS = ("summary_en", "summary_ru", "place_en", "place_ru")

    country = models.ForeignKey(
        Country, verbose_name=_("country"), related_name="dialogue_rounds", on_delete=models.PROTECT
    )
    # Blank for a round known only by its number (a later round's number implies it was held).
    held_on = models.DateField(
        _("held on"),
        null=True,
        blank=True,
        help_text=_("For a month or a year, any day in it; the precision says. Blank when no source dates it."),
    )
    held_on_precision = precision_field(_("precision of the date"))
    place = models.CharField(_("place"), max_length=100, blank=True, help_text=_("Blank when no source says."))
    format = models.CharField(_("format"), max_length=12, choices=DialogueFormat.choices, db_index=True)
    sequence_number = models.PositiveSmallIntegerField(
        _("sequence number"),
        null=True,
        blank=True,
        help_text=_("1 for the first round of this format with this country; blank when unknown."),
    )
    # default and db_default: rows the synthetic data's COPY writes leave the newer columns out
    number_basis = models.CharField(
        _("basis of the number"),
        max_length=8,
        choices=NumberBasis.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Whether a source states the number (the default) or it is inferred from the sequence."),
    )
    number_note = models.CharField(
        _("how the number was inferred"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("E.g. the rounds before and after."),
    )
    held_until = models.DateField(
        _("held until"), null=True, blank=True, help_text=_("The last day, for a round held over several days.")
    )
    modality = models.CharField(
        _("held"),
        max_length=9,
        choices=Modality.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Blank when no source says."),
    )
    alongside = models.CharField(
        _("held alongside"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("The meeting it was held with, e.g. the Subcommittee on Justice and Home Affairs."),
    )
    alongside_number = models.PositiveSmallIntegerField(
        _("number of that meeting"), null=True, blank=True, help_text=_("Its own numbering, e.g. 19 for the 19th.")
    )
    eu_lead = models.CharField(_("EU delegation led by"), max_length=300, blank=True, default="", db_default="")
    partner_lead = models.CharField(
        _("partner delegation led by"), max_length=300, blank=True, default="", db_default=""
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics raised"), related_name="dialogue_rounds", blank=True)
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="dialogue_rounds", blank=True)

    objects = DialogueRoundQuerySet.as_manager()
    held = PartialDateProperty("held_on")
    citations = citations_relation()
    history = HistoricalRecords(m2m_fields=[topics, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("dialogue round")
        verbose_name_plural = _("dialogue rounds")
        ordering = [models.F("held_on").desc(nulls_last=True), "country__name", "id"]
        constraints = [
            precision_constraint("dialogueround", "held_on"),
            # a round is known by its date or by its number (then the number says it was held)
            models.CheckConstraint(
                condition=Q(held_on__isnull=False) | Q(sequence_number__isnull=False),
                name="dialogueround_dated_or_numbered",
            ),
            models.CheckConstraint(
                condition=Q(sequence_number__isnull=True) | Q(sequence_number__gte=1),
                name="dialogueround_sequence_number_from_one",
            ),
            models.UniqueConstraint(
                fields=["country", "format", "sequence_number"],
                name="dialogueround_unique_sequence",
                condition=Q(sequence_number__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(sequence_number__isnull=True, number_basis="")
                | (Q(sequence_number__isnull=False) & ~Q(number_basis="")),
                name="dialogueround_number_has_basis",
            ),
            models.CheckConstraint(
                condition=~Q(number_basis=NumberBasis.INFERRED) | ~Q(number_note=""),
                name="dialogueround_inferred_number_explained",
            ),
            models.CheckConstraint(
                condition=Q(held_until__isnull=True)
                | (Q(held_until__gt=models.F("held_on")) & Q(held_on_precision="day")),
                name="dialogueround_span_after_start",
            ),
            models.CheckConstraint(
                condition=Q(alongside_number__isnull=True) | (Q(alongside_number__gte=1) & ~Q(alongside="")),
                name="dialogueround_alongside_number_named",
            ),
        ]
        indexes = [models.Index(fields=["publication_status", "held_on"], name="dialogueround_public_date")]

    def __str__(self):
        # country is select_related by every listing (querysets.for_listing)
        return round_title(self, self.country.name if self.country.is_published else None)

    @property
    def series(self):
        """The numbered series the round belongs to: a Sub-Committee meeting or a dialogue round."""
        return DialogueSeries.SUBCOMMITTEE if self.format == DialogueFormat.SUBCOMMITTEE else DialogueSeries.DIALOGUE

    def get_series_display(self):
        return DialogueSeries(self.series).label

    def get_absolute_url(self):
        return reverse("dialogueround-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        self.normalise_number_basis()

    def normalise_number_basis(self):
        """A number typed without a basis is the one a source states (an inferred number is chosen
        as such, with its note); no number, no basis."""
        if self.sequence_number is None:
            self.number_basis = ""
        elif not self.number_basis:
            self.number_basis = NumberBasis.STATED

    def save(self, *args, **kwargs):
        normalise_partial_dates(self, "held_on")
        self.normalise_number_basis()
        super().save(*args, **kwargs)
