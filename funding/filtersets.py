"""The FilterSets for funding: shared by the pages, the API and the exports."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dialogues.filtersets import (
    CodeListField,
    CodeListFilter,
    FilterForm,
    SearchFilter,
    StableOrderingFilter,
    country_filter,
    topic_filter,
    year_filter,
)
from dialogues.languages import in_both_languages
from dialogues.templatetags.languages import translated

from .iati.codes import CENTRAL_ASIA_REGION
from .models import Call, Programme, Project, ProjectSector, ProjectSourceKind, ProjectStatus, Scope, SectorTopic
from .sector_codes import NotSectorCodes, sector_codes

MAX_AMOUNT = 10**12


class AmountFilter(django_filters.NumberFilter):
    field_class = forms.DecimalField


def amount_filter(field_name, lookup_expr, label):
    return AmountFilter(
        field_name=field_name,
        lookup_expr=lookup_expr,
        label=label,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
    )


def programme_filter():
    return CodeListFilter(
        label=_("Programme"),
        queryset=Programme.objects.published(),
        to_field_name="slug",
        through_lookup="programme",
        normalise=str.lower,
        help_text=_("Programme slug, e.g. eidhr; several allowed."),
    )


class SectorCodesField(CodeListField):
    """DAC 5-digit codes, repeated or comma-separated as CodeListField takes them. Any well-formed
    code is taken, not only those of the mapping table: a file may state a code the table lacks."""

    def clean(self, value):
        try:
            codes = sector_codes(value)
        except NotSectorCodes as error:
            raise ValidationError(str(error), code="invalid_choice") from None
        if self.required and not codes:
            raise ValidationError(self.error_messages["required"], code="required")
        return codes


class SectorFilter(CodeListFilter):
    """Projects stating any of the DAC sectors (IATI activities state them; editorial projects none)."""

    field_class = SectorCodesField

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Sector (DAC)"),
            queryset=SectorTopic.objects.all(),
            to_field_name="code",
            through_lookup="sectors",
            help_text=_("DAC 5-digit sector code, e.g. 15160; several allowed."),
            **kwargs,
        )

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=ProjectSector.objects.filter(code__in=value).values("project_id"))

    def option_choices(self, field):
        """The codes of the mapping table and those published projects state, with the table's
        names in every language, in one query; each name in the page's language, an English one
        on a Russian page marked as English."""
        names = in_both_languages("name")
        # no rewriting of `name` to the active language's column: both columns, in this order
        mapping = SectorTopic.objects.rewrite(False)
        stated = (
            ProjectSector.objects.filter(project__in=Project.objects.published().values("pk"))
            .annotate(**{name: Subquery(mapping.filter(code=OuterRef("code")).values(name)[:1]) for name in names})
            .values_list("code", *names)
            .order_by()
        )
        rows = mapping.values_list("code", *names).order_by().union(stated)
        choices = []
        for code, *texts in sorted(set(rows), key=lambda row: row[0]):
            sector = SectorTopic(code=code, **dict(zip(names, texts, strict=True)))
            choices.append((code, format_html("{} {}", code, translated(sector, "name")) if sector.name else code))
        return choices

    def option_counts(self, queryset):
        rows = ProjectSector.objects.filter(project__in=queryset.values("pk")).values("code")
        return {row["code"]: row["n"] for row in rows.annotate(n=Count("project_id")).order_by()}


class ProjectFilterSet(django_filters.FilterSet):
    country = country_filter()
    topic = topic_filter()
    programme = programme_filter()
    year_from = year_filter("starts_on__year", "gte", _("Starting from year"))
    year_to = year_filter("starts_on__year", "lte", _("Starting up to year"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    source_kind = django_filters.ChoiceFilter(
        choices=ProjectSourceKind.choices,
        label=_("Kind of record"),
        help_text=_("iati: imported from an IATI activity file; editorial: from press releases and other sources."),
    )
    sector = SectorFilter()
    # an IATI activity for the region states no country: the country filter cannot find it
    region = django_filters.ChoiceFilter(
        field_name="recipient_region",
        choices=[(CENTRAL_ASIA_REGION, _("Central Asia, regional"))],
        label=_("Recipient region"),
        help_text=_("619: IATI activities for Central Asia as a region (they name no single country)."),
    )
    min_amount = amount_filter("eu_contribution_eur", "gte", _("EU contribution at least (EUR)"))
    max_amount = amount_filter("eu_contribution_eur", "lte", _("EU contribution at most (EUR)"))
    q = SearchFilter(fields=Project.SEARCH_FIELDS)
    ordering = StableOrderingFilter(
        fields=(("starts_on", "start"), ("eu_contribution_eur", "amount"), ("title", "title")),
        field_labels={"starts_on": _("Start"), "eu_contribution_eur": _("EU contribution"), "title": _("Title")},
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        form = FilterForm
        fields = [
            *("country", "topic", "programme", "year_from", "year_to", "status", "source_kind", "sector", "region"),
            *("min_amount", "max_amount", "q"),
        ]


class ProgrammeFilterSet(django_filters.FilterSet):
    country = country_filter()
    scope = django_filters.ChoiceFilter(choices=Scope.choices, label=_("Scope"))
    q = SearchFilter(fields=["name", "acronym", "summary"])

    class Meta:
        model = Programme
        form = FilterForm
        fields = ["country", "scope", "q"]


class CallFilterSet(django_filters.FilterSet):
    country = country_filter("country")
    programme = programme_filter()
    year_from = year_filter("year", "gte", _("From year"))
    year_to = year_filter("year", "lte", _("To year"))
    min_amount = amount_filter("total_amount_eur", "gte", _("Total at least (EUR)"))
    max_amount = amount_filter("total_amount_eur", "lte", _("Total at most (EUR)"))
    q = SearchFilter(fields=["title", "summary"])

    class Meta:
        model = Call
        form = FilterForm
        fields = ["country", "programme", "year_from", "year_to", "min_amount", "max_amount", "q"]
