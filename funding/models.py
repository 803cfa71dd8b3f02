"""EU funding for civil society: programmes, the calls (packages) announced under them, projects."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.models import Country, Organisation, Place, Source, Topic
from dialogues.partial_dates import PartialDateProperty, normalise_partial_dates, precision_constraint, precision_field
from dialogues.publishing import PublishableModel

from .querysets import CallQuerySet, ProgrammeQuerySet, ProjectQuerySet

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
    history = HistoricalRecords(m2m_fields=[countries, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            precision_constraint("programme", "launched_on"),
            models.CheckConstraint(condition=Q(envelope_eur__gte=0), name="programme_envelope_not_negative"),
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

    Sources often announce the total of a package whose single projects have no published amount.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), related_name="calls", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=300)
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
    history = HistoricalRecords(m2m_fields=[places, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = [F("year").desc(nulls_last=True), "title", "id"]
        constraints = [
            precision_constraint("call", "announced_on"),
            models.CheckConstraint(condition=Q(total_amount_eur__gte=0), name="call_total_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=1950, year__lte=2100), name="call_year_plausible"),
        ]

    def __str__(self):
        return self.title


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")


class Project(PublishableModel):
    SEARCH_FIELDS = ("title", "summary")  # full-text search; the GIN index is built on exactly these
    # on PostgreSQL, arrays of the related ids kept by triggers, for filters (migration 0005)
    RELATION_ARRAYS = {"countries": "country_ids", "topics": "topic_ids"}
    title = models.CharField(_("title"), max_length=400)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), related_name="projects", on_delete=models.PROTECT
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

    objects = ProjectQuerySet.as_manager()
    starts = PartialDateProperty("starts_on")
    ends = PartialDateProperty("ends_on")
    history = HistoricalRecords(m2m_fields=[countries, places, topics, sources])

    class Meta(PublishableModel.Meta):
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = [F("starts_on").desc(nulls_last=True), "-id"]
        constraints = [
            precision_constraint("project", "starts_on"),
            precision_constraint("project", "ends_on"),
            models.CheckConstraint(condition=Q(eu_contribution_eur__gte=0), name="project_contribution_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"),
            models.CheckConstraint(condition=Q(duration_months__gte=1), name="project_duration_positive"),
        ]
        indexes = [
            models.Index(fields=["publication_status", "starts_on"], name="project_public_start"),
            models.Index(fields=["publication_status", "eu_contribution_eur"], name="project_public_amount"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("project-detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        normalise_partial_dates(self, "starts_on", "ends_on")
        super().save(*args, **kwargs)
