"""The one FilterSet for seminars: shared by the page, the API and the exports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from dialogues.filtersets import (
    FilterForm,
    SearchFilter,
    StableOrderingFilter,
    country_filter,
    topic_filter,
    year_filter,
)

from .models import Seminar, SeminarKind


class SeminarFilterSet(django_filters.FilterSet):
    country = country_filter()
    topic = topic_filter()
    year_from = year_filter("held_on__year", "gte", _("From year"))
    year_to = year_filter("held_on__year", "lte", _("To year"))
    kind = django_filters.ChoiceFilter(choices=SeminarKind.choices, label=_("Kind"))
    q = SearchFilter(fields=Seminar.SEARCH_FIELDS)
    ordering = StableOrderingFilter(
        fields=(("held_on", "date"), ("title", "title")),
        field_labels={"held_on": _("Date"), "title": _("Title")},
        label=_("Sort by"),
    )

    class Meta:
        model = Seminar
        form = FilterForm
        fields = ["country", "topic", "year_from", "year_to", "kind", "q"]
