"""EU funding for civil society: programmes, the calls (packages) announced under them, projects."""

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.choices import Qualifier
from dialogues.models import Concern, Country, Organisation, Place, Source, Topic, citations_relation
from dialogues.partial_dates import PartialDateProperty, normalise_partial_dates, precision_constraint, precision_field
from dialogues.publishing import PublishableModel

from .querysets import CallQuerySet, FundingFigureQuerySet, ProgrammeQuerySet, ProjectQuerySet

EUR = {"max_digits": 14, "decimal_places": 2}


class Scope(models.TextChoices):
    WORLDWIDE = "worldwide", _("worldwide")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")


class Programme(PublishableModel):
    """A funding instrument, e.g. the European Instrument for Democracy and Human Rights."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("grew from"),
        related_name="successors",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    launched_on = models.DateField(_("established"), null=True, blank=True)
    launched_on_precision = precision_field(_("precision of the date"))
    scope = models.CharField(
        _("scope"), max_length=9, choices=Scope.choices, blank=True, help_text=_("Blank when no source says.")
    )
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries covered"),
        related_name="programmes",
        blank=True,
        help_text=_("For regional and national programmes."),
    )
    envelope_eur = models.DecimalField(
        _("envelope (EUR)"), **EUR, null=True, blank=True, help_text=_("Blank when unknown.")
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="programmes", blank=True)

    objects = ProgrammeQuerySet.as_manager()
    launched = PartialDateProperty("launched_on")
    citations = citations_relation()
    history = HistoricalRecords(m2m_fields=[countries, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            precision_constraint("programme", "launched_on"),
            # an unknown amount is NULL, never 0 (NULL passes a check)
            models.CheckConstraint(condition=Q(envelope_eur__gt=0), name="programme_envelope_positive"),
            models.CheckConstraint(condition=~Q(predecessor=F("pk")), name="programme_not_its_own_predecessor"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programme-detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        normalise_partial_dates(self, "launched_on")
        super().save(*args, **kwargs)


class Call(PublishableModel):
    """A package of projects announced under a programme for a country and year, with its total.

    Sources often announce the total of a package whose single projects have no published amount,
    and sometimes the total of a part of it (five new projects of a package of eight): such a part
    is a call of its own whose `parent` is the package. Each stated total is held once, on the
    package it is stated for, and counted once (funding/aggregates.py).
    """

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        related_name="calls",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Blank when no source names it."),
    )
    title = models.CharField(_("title"), max_length=300)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of the package"),
        related_name="parts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For a part of a larger package whose own total a source states."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        related_name="calls",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Blank for a regional package."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announced_on_precision = precision_field(_("precision of the date"))
    total_amount_eur = models.DecimalField(
        _("total amount (EUR)"), **EUR, null=True, blank=True, help_text=_("Blank when unknown.")
    )
    project_count = models.PositiveSmallIntegerField(
        _("number of projects announced"), null=True, blank=True, help_text=_("Blank when unknown.")
    )
    places = models.ManyToManyField(Place, verbose_name=_("places"), related_name="calls", blank=True)
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="calls", blank=True)

    objects = CallQuerySet.as_manager()
    announced = PartialDateProperty("announced_on")
    citations = citations_relation()
    history = HistoricalRecords(m2m_fields=[places, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = [F("year").desc(nulls_last=True), "title", "id"]
        constraints = [
            precision_constraint("call", "announced_on"),
            models.CheckConstraint(condition=Q(total_amount_eur__gt=0), name="call_total_positive"),  # or NULL
            models.CheckConstraint(condition=Q(year__gte=1950, year__lte=2100), name="call_year_plausible"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="call_not_its_own_part"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # Two levels at most (a package and its parts): the rule counts a total once through them.
        if self.parent_id and (self.parent.parent_id or (self.pk and self.parts.exists())):
            raise ValidationError({"parent": _("A part of a package cannot itself be a package or a part of a part.")})


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")


class ProjectSourceKind(models.TextChoices):
    """Where a project's record comes from."""

    EDITORIAL = "editorial", _("editorial (press releases and other sources)")
    IATI = "iati", _("IATI activity file")


class Project(PublishableModel):
    # full-text search in both languages; the stored document and its GIN index are built on exactly these
    SEARCH_FIELDS = ("title_en", "title_ru", "summary_en", "summary_ru")
    # on PostgreSQL, arrays of the related ids kept by triggers, for filters (migration 0005)
    RELATION_ARRAYS = {"countries": "country_ids", "topics": "topic_ids"}
    title = models.CharField(_("title"), max_length=400)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        related_name="projects",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Blank when no source names it."),
    )
    call = models.ForeignKey(
        Call, verbose_name=_("call"), related_name="projects", on_delete=models.SET_NULL, null=True, blank=True
    )
    countries = models.ManyToManyField(Country, verbose_name=_("countries"), related_name="projects")
    places = models.ManyToManyField(Place, verbose_name=_("places"), related_name="projects", blank=True)
    implementing_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("implementing organisation"),
        related_name="implemented_projects",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="projects", blank=True)
    concerns = models.ManyToManyField(
        Concern,
        verbose_name=_("concerns addressed"),
        related_name="projects",
        blank=True,
        help_text=_("The follow-up tracker's concerns the project works on."),
    )
    eu_contribution_eur = models.DecimalField(
        _("EU contribution (EUR)"),
        **EUR,
        null=True,
        blank=True,
        help_text=_("Blank when unknown: never 0 for an unknown amount."),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    starts_on_precision = precision_field(_("precision of the start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    ends_on_precision = precision_field(_("precision of the end"))
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    duration_note = models.CharField(
        _("duration as the source gives it"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("E.g. 'from one to three years', when the source gives no dates."),
    )
    status = models.CharField(
        _("status"),
        max_length=9,
        choices=ProjectStatus.choices,
        blank=True,
        db_index=True,
        help_text=_("Blank when no source says."),
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="projects", blank=True)
    # what an IATI activity file states (funding/iati/); editorial projects leave these blank
    source_kind = models.CharField(
        _("kind of record"),
        max_length=9,
        choices=ProjectSourceKind.choices,
        default=ProjectSourceKind.EDITORIAL,
        db_default=ProjectSourceKind.EDITORIAL,  # rows written in bulk (synthetic data) name no kind
        db_index=True,
    )
    iati_identifier = models.CharField(
        _("IATI identifier"), max_length=150, null=True, blank=True, help_text=_("Blank for editorial projects.")
    )
    iati_last_updated = models.DateTimeField(_("IATI activity last updated"), null=True, blank=True, editable=False)
    iati_file = models.ForeignKey(
        "IatiFile",
        verbose_name=_("IATI file last imported"),
        related_name="projects",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
    )
    iati_parent = models.ForeignKey(
        "self",
        verbose_name=_("IATI parent activity"),
        related_name="iati_children",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        help_text=_("A parent whose children are recorded is not counted again in totals."),
    )
    recipient_region = models.CharField(
        _("recipient region (DAC code)"),
        max_length=3,
        blank=True,
        default="",
        db_default="",
        help_text=_("E.g. 619, Central Asia: a regional activity."),
    )
    policy_markers = models.JSONField(
        _("policy markers"),
        null=True,
        blank=True,
        help_text=_("As the IATI activity states them: code, vocabulary, significance; blank for editorial projects."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same project as"),
        related_name="duplicates",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_(
            "The record kept for the same project (an IATI activity and a press release): this one is not "
            "counted in totals."
        ),
    )

    objects = ProjectQuerySet.as_manager()
    starts = PartialDateProperty("starts_on")
    ends = PartialDateProperty("ends_on")
    citations = citations_relation()
    history = HistoricalRecords(m2m_fields=[countries, places, topics, concerns, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = [F("starts_on").desc(nulls_last=True), "-id"]
        constraints = [
            precision_constraint("project", "starts_on"),
            precision_constraint("project", "ends_on"),
            models.CheckConstraint(
                condition=Q(eu_contribution_eur__gt=0), name="project_contribution_positive"
            ),  # or NULL
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"),
            models.CheckConstraint(condition=Q(duration_months__gte=1), name="project_duration_positive"),
            models.CheckConstraint(
                condition=Q(source_kind__in=ProjectSourceKind.values), name="project_source_kind_valid"
            ),
            # an IATI project has its identifier, an editorial one none
            models.CheckConstraint(
                condition=Q(source_kind=ProjectSourceKind.IATI, iati_identifier__isnull=False)
                | Q(source_kind=ProjectSourceKind.EDITORIAL, iati_identifier__isnull=True),
                name="project_iati_identifier_iff_iati",
            ),
            models.UniqueConstraint(Lower("iati_identifier"), name="project_iati_identifier_unique_ignoring_case"),
            models.CheckConstraint(condition=~Q(duplicate_of=F("pk")), name="project_not_a_duplicate_of_itself"),
            models.CheckConstraint(condition=~Q(iati_parent=F("pk")), name="project_not_its_own_iati_parent"),
        ]
        indexes = [
            models.Index(fields=["publication_status", "starts_on"], name="project_public_start"),
            models.Index(fields=["publication_status", "eu_contribution_eur"], name="project_public_amount"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("project-detail", kwargs={"pk": self.pk})

    @property
    def d_portal_url(self):
        """The activity on d-portal, for an IATI project."""
        if not self.iati_identifier:
            return None
        return "https://d-portal.org/ctrack.html#view=act&aid=" + quote(self.iati_identifier, safe="")

    def clean(self):
        super().clean()
        if self.duplicate_of_id and self.pk and self.duplicate_of_id == self.pk:
            raise ValidationError({"duplicate_of": _("A project cannot be a duplicate of itself.")})
        if self.duplicate_of_id and self.duplicate_of.duplicate_of_id:
            raise ValidationError({"duplicate_of": _("Point to the record that is kept, not to another duplicate.")})

    def save(self, *args, **kwargs):
        normalise_partial_dates(self, "starts_on", "ends_on")
        super().save(*args, **kwargs)


class FigurePeriod(models.TextChoices):
    PER_YEAR = "per_year", _("a year")
    CUMULATIVE = "cumulative", _("in all, over the years")
    TOTAL = "total", _("in all")


class FundingFigure(PublishableModel):
    """An approximate or cumulative amount a source states ("about EUR 1 million a year", "more than
    EUR 8 million since 1991"): shown as stated, never added to the exact amounts of calls and
    projects that make up the known EU contribution."""

    statement = models.CharField(_("what the source states"), max_length=300, help_text=_("In the editor's own words."))
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        related_name="funding_figures",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Blank for a regional figure."),
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        related_name="figures",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    amount_eur = models.DecimalField(_("amount (EUR)"), **EUR)
    qualifier = models.CharField(_("qualifier"), max_length=9, choices=Qualifier.choices, default=Qualifier.ABOUT)
    period = models.CharField(_("period"), max_length=10, choices=FigurePeriod.choices)
    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)
    until_year = models.PositiveSmallIntegerField(_("until"), null=True, blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="funding_figures", blank=True)

    objects = FundingFigureQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("stated funding figure")
        verbose_name_plural = _("stated funding figures")
        ordering = ["country__name", "-amount_eur", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="fundingfigure_amount_positive"),
            models.CheckConstraint(condition=Q(qualifier__in=Qualifier.values), name="fundingfigure_qualifier_valid"),
            models.CheckConstraint(condition=Q(period__in=FigurePeriod.values), name="fundingfigure_period_valid"),
            models.CheckConstraint(
                condition=Q(until_year__isnull=True) | Q(since_year__isnull=True) | Q(until_year__gte=F("since_year")),
                name="fundingfigure_until_after_since",
            ),
        ]

    def __str__(self):
        return self.statement


class ContributionCell(models.Model):
    """One cell of the known EU contribution (funding/aggregates.py: rule_cells): what the
    published records of one scope, programme and year add to it. Kept up to date in the
    transaction of each edit (funding/summaries.py), so that the figure after an edit
    reads a few thousand cells instead of grouping every project again. Plain numbers, not foreign
    keys: 0 is the overall scope, a programme no source names, a record without a year."""

    scope = models.PositiveIntegerField()  # a country's id; 0: every country
    programme = models.PositiveIntegerField()  # a programme's id; 0: not stated
    year = models.PositiveIntegerField()  # 0: no year
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2)
    calls = models.PositiveIntegerField()
    projects = models.PositiveIntegerField()
    projects_iati = models.PositiveIntegerField()
    projects_amount_unknown = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "programme", "year"], name="contributioncell_one_per_key"),
            models.CheckConstraint(
                condition=Q(calls__gt=0) | Q(projects__gt=0) | Q(projects_amount_unknown__gt=0),
                name="contributioncell_not_empty",
            ),
            models.CheckConstraint(condition=Q(projects_iati__lte=F("projects")), name="contributioncell_iati_counted"),
        ]

    def __str__(self):
        return f"{self.scope}/{self.programme}/{self.year}: {self.amount_eur}"


class ContributionYear(models.Model):
    """The known EU contribution of one scope and year: ContributionCell's counted amounts summed
    over its programmes, kept up to date with them (funding/summaries.py), so that the totals and
    the chart of years read a couple of hundred rows, not group thousands of cells. A scope and
    year where nothing counts has no row: its figure is unknown, not 0."""

    scope = models.PositiveIntegerField()  # a country's id; 0: every country
    year = models.PositiveIntegerField()  # 0: no year
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2)
    records = models.PositiveIntegerField()  # the calls and projects whose amounts count

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="contributionyear_one_per_key"),
            models.CheckConstraint(condition=Q(records__gt=0), name="contributionyear_counted"),
        ]

    def __str__(self):
        return f"{self.scope}/{self.year}: {self.amount_eur}"


class ProjectCount(models.Model):
    """How many published projects work in a scope on a topic (0: every country, every topic),
    kept up to date as ContributionCell is (funding/summaries.py): the counts of the home, country
    and topic pages, which counted a million rows after each edit of a project."""

    scope = models.PositiveIntegerField()  # a country's id; 0: every country
    topic = models.PositiveIntegerField()  # a topic's id; 0: every topic
    projects = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "topic"], name="projectcount_one_per_key"),
            models.CheckConstraint(condition=Q(projects__gt=0), name="projectcount_not_empty"),
        ]

    def __str__(self):
        return f"{self.scope}/{self.topic}: {self.projects}"


class SummaryLedger(models.Model):
    """One row: whether the summary tables (ContributionCell, ContributionYear, ProjectCount) hold
    the figures of the records as they are (`built`). Edits lock it while they adjust them; a
    write that cannot say what it changed (a bulk write, a deletion, a migration) clears it, and
    the next reader rebuilds them."""

    built = models.BooleanField(default=False)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="summaryledger_single_row")]

    def __str__(self):
        return "built" if self.built else "to rebuild"


# the IATI side tables (money as stated, rates, sector mapping, imported files): funding/iati/models.py
from .iati.models import (  # noqa: E402
    ExchangeRate,
    IatiBudget,
    IatiFile,
    IatiTransaction,
    IatiUpload,
    ProjectCountryShare,
    ProjectSector,
    SectorTopic,
)

__all__ = [
    "Call",
    "ContributionCell",
    "ContributionYear",
    "ProjectCount",
    "SummaryLedger",
    "ExchangeRate",
    "FundingFigure",
    "IatiBudget",
    "IatiFile",
    "IatiTransaction",
    "IatiUpload",
    "Programme",
    "Project",
    "ProjectCountryShare",
    "ProjectSector",
    "ProjectSourceKind",
    "SectorTopic",
]
