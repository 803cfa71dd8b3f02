"""The FilterSets for funding: shared by the pages, the API and the exports."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.filtersets import (
    CodeListFilter,
    FilterForm,
    SearchFilter,
    StableOrderingFilter,
    country_filter,
    topic_filter,
    year_filter,
)

from .models import Call, Programme, Project, ProjectStatus, Scope

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


class ProjectFilterSet(django_filters.FilterSet):
    country = country_filter()
    topic = topic_filter()
    programme = programme_filter()
    year_from = year_filter("starts_on__year", "gte", _("Starting from year"))
    year_to = year_filter("starts_on__year", "lte", _("Starting up to year"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
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
        fields = ["country", "topic", "programme", "year_from", "year_to", "status", "min_amount", "max_amount", "q"]


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
