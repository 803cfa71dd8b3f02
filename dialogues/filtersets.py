"""Filters shared by every listing: the HTML pages, the API and the exports use these FilterSets.

Parameter names are a public contract: `country` (ISO code, case-insensitive, several allowed,
repeated or comma-separated), `topic` (slug), `year_from`, `year_to`, `q`, `ordering`, and in
funding `programme`, `status`, `min_amount`, `max_amount`. An unknown value is a validation error
(the page shows it, the API answers 400), never silently the whole table.
"""

import django_filters
from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, Count, F, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from .models import (
    Concern,
    ConcernStatus,
    Country,
    DialogueFormat,
    DialogueRound,
    DialogueSeries,
    Organisation,
    OrganisationKind,
    Source,
    Topic,
)
from .search import MAX_QUERY_LENGTH, search
from .sql_expressions import Overlaps, relation_array
from .templatetags.languages import translated_name

MIN_YEAR, MAX_YEAR = 1950, 2100

# (start, end): a range whose end comes before its start is an error at its end, on the page and
# in the API (a 400 naming it), rather than silently no rows
RANGES = (("year_from", "year_to"), ("min_amount", "max_amount"))


class FilterForm(forms.Form):
    """The form of every FilterSet (`Meta.form`): an empty choice reads "Any" (the ordering's,
    "Default order"), and a reversed range says so at its end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "empty_label", None) == django_filters.conf.settings.EMPTY_CHOICE_LABEL:
                field.empty_label = _("Any")  # the library's "---------"
                field.widget.choices = field.choices  # the widget's copy reads the class's field
            elif isinstance(field, forms.NullBooleanField):  # "Unknown" reads as a value
                field.widget.choices = [("", _("Any")), *field.widget.choices[1:]]

    def clean(self):
        data = super().clean()
        for start, end in RANGES:
            low, high = data.get(start), data.get(end)
            if low is not None and high is not None and low > high:
                message = _("This must not be less than “%(start)s” (%(low)s).")
                self.add_error(end, message % {"start": self.fields[start].label, "low": low})
        return data


class CodeListField(forms.ModelMultipleChoiceField):
    """Several codes, repeated (`?country=KZ&country=KG`) or comma-separated (`?country=KZ,kg`)."""

    def __init__(self, *args, normalise=str.upper, **kwargs):
        self.normalise = normalise
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if isinstance(value, str):
            value = [value]
        codes = [self.normalise(code.strip()) for item in value or [] for code in str(item).split(",") if code.strip()]
        return super().clean(codes)


class CodeListFilter(django_filters.ModelMultipleChoiceFilter):
    """Filter by the public identifier (ISO code or slug) of a related record, through a subquery.

    `pk__in (SELECT ...)` rather than a join: no duplicate rows and no DISTINCT over a large table.
    On PostgreSQL, a model that keeps the relation's ids in an array (RELATION_ARRAYS) is filtered
    on that array, which its listing index includes: no through table is read at all.
    """

    field_class = CodeListField

    def __init__(self, *args, through_lookup, **kwargs):
        self.through_lookup = through_lookup  # e.g. "countries": the relation on the filtered model
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        # no choice is an empty queryset: asking it for its truth would compile and run it
        if value is None or (isinstance(value, QuerySet) and value.query.is_empty()) or not value:
            return queryset
        relation = queryset.model._meta.get_field(self.through_lookup)
        if (array := relation_array(queryset, self.through_lookup)) is not None:
            ids = Value([r.pk for r in value], output_field=ArrayField(BigIntegerField()))
            return queryset.filter(Overlaps(array, ids))
        if relation.many_to_many:
            through = relation.remote_field.through
            own = relation.m2m_field_name()
            target = relation.m2m_reverse_field_name()
            matching = through.objects.filter(**{f"{target}__in": value}).values(f"{own}_id")
            return queryset.filter(pk__in=matching)
        return queryset.filter(**{f"{self.through_lookup}__in": value})

    def option_choices(self, field):
        """The form's checkboxes: (value in the URL, label), read only when the form is rendered;
        a name shown in English on a Russian page is marked as English."""
        key = self.extra["to_field_name"]
        return [(getattr(record, key), translated_name(record)) for record in field.queryset]

    def option_counts(self, queryset):
        """{public identifier: number of rows of `queryset` per option}, in one query.

        The listing pages show these beside each option of the filter form.
        """
        key = self.extra["to_field_name"]
        relation = queryset.model._meta.get_field(self.through_lookup)
        matching = queryset.values("pk")  # a subquery: the filtered rows, whatever their ordering
        if relation.many_to_many:
            target = relation.m2m_reverse_field_name()
            rows = relation.remote_field.through.objects.filter(**{f"{relation.m2m_field_name()}__in": matching})
            group = f"{target}__{key}"
        else:
            rows = queryset.model._default_manager.filter(pk__in=matching)
            group = f"{self.through_lookup}__{key}"
        return {row[group]: row["n"] for row in rows.values(group).annotate(n=Count("pk")).order_by()}


def country_filter(through_lookup="countries"):
    return CodeListFilter(
        label=_("Country"),
        queryset=Country.objects.published(),
        to_field_name="iso_code",
        through_lookup=through_lookup,
        help_text=_("ISO code, e.g. KZ; several allowed."),
    )


def topic_filter():
    return CodeListFilter(
        label=_("Topic"),
        queryset=Topic.objects.published(),
        to_field_name="slug",
        through_lookup="topics",
        help_text=_("Topic slug; several allowed."),
        normalise=str.lower,
    )


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def year_filter(field_name, lookup_expr, label):
    return YearFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, min_value=MIN_YEAR, max_value=MAX_YEAR
    )


class SearchFilter(django_filters.CharFilter):
    def __init__(self, *args, fields, **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", 1000)  # longer is a form error; search() uses the first 200
        kwargs.setdefault("help_text", _("Words to find (up to %(n)s characters are used).") % {"n": MAX_QUERY_LENGTH})
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return search(queryset, value, self.search_fields) if value else queryset


class StableOrderingFilter(django_filters.OrderingFilter):
    """`ordering` with the id last: rows with equal values (amounts, dates, titles) keep one order,
    so page-numbered pages neither repeat nor skip any of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*(nulls_last(self.get_ordering_value(param)) for param in value), "-pk")


def nulls_last(name):
    """An ordering by `name` ("-held_on") with blanks (an undated round, an unstated amount) last
    in either direction, on PostgreSQL and SQLite alike (their defaults differ)."""
    field = F(name.removeprefix("-"))
    return field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True)


def filter_series(queryset, name, value):
    # the series follows from the format: a Sub-Committee meeting, or a round of the dialogue
    subcommittee = {"format": DialogueFormat.SUBCOMMITTEE}
    if value == DialogueSeries.SUBCOMMITTEE:
        return queryset.filter(**subcommittee)
    return queryset.exclude(**subcommittee) if value else queryset


class DialogueRoundFilterSet(django_filters.FilterSet):
    country = country_filter("country")
    topic = topic_filter()
    year_from = year_filter("held_on__year", "gte", _("From year"))
    year_to = year_filter("held_on__year", "lte", _("To year"))
    series = django_filters.ChoiceFilter(choices=DialogueSeries.choices, label=_("Series"), method=filter_series)
    format = django_filters.ChoiceFilter(choices=DialogueFormat.choices, label=_("Format"))
    q = SearchFilter(fields=DialogueRound.SEARCH_FIELDS)
    ordering = StableOrderingFilter(
        fields=(("held_on", "date"), ("country__name", "country")),
        field_labels={"held_on": _("Date"), "country__name": _("Country")},
        label=_("Sort by"),
    )

    class Meta:
        model = DialogueRound
        form = FilterForm
        fields = ["country", "topic", "year_from", "year_to", "series", "format", "q"]


class CountryFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "summary"])

    class Meta:
        model = Country
        form = FilterForm
        fields = ["q"]


class TopicFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "description"])

    class Meta:
        model = Topic
        form = FilterForm
        fields = ["q"]


class OrganisationFilterSet(django_filters.FilterSet):
    country = country_filter("country")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))
    q = SearchFilter(fields=["name", "acronym", "description"])

    class Meta:
        model = Organisation
        form = FilterForm
        fields = ["country", "kind", "q"]


class SourceFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=["title", "publisher", "description"])

    class Meta:
        model = Source
        form = FilterForm
        fields = ["q"]


class ConcernFilterSet(django_filters.FilterSet):
    """Concerns by their country, topics and derived state (dialogues/tracker.py), as of a date.

    `status` is the current status and `stagnant` the derived stagnation, both read as of
    `as_of` (default: today); `year_from`/`year_to` keep concerns with an entry in those years."""

    country = country_filter("country")
    topic = topic_filter()
    status = django_filters.ChoiceFilter(choices=ConcernStatus.choices, label=_("Current status"), method="noop")
    stagnant = django_filters.BooleanFilter(label=_("Stagnant"), method="noop")
    year_from = YearFilter(label=_("From year"), min_value=MIN_YEAR, max_value=MAX_YEAR, method="noop")
    year_to = YearFilter(label=_("To year"), min_value=MIN_YEAR, max_value=MAX_YEAR, method="noop")
    as_of = django_filters.DateFilter(label=_("As of"), method="noop", help_text=_("A date, YYYY-MM-DD."))
    q = SearchFilter(fields=["title", "summary"])  # a small table: no stored search document
    ordering = StableOrderingFilter(
        fields=(("title", "title"), ("country__name", "country")),
        field_labels={"title": _("Title"), "country__name": _("Country")},
        label=_("Sort by"),
    )

    class Meta:
        model = Concern
        form = FilterForm
        fields = ["country", "topic", "status", "stagnant", "year_from", "year_to", "as_of", "q"]

    def noop(self, queryset, name, value):
        return queryset  # applied together in filter_queryset: each needs `as_of`

    def filter_queryset(self, queryset):
        from .tracker import concern_states, current_status_subquery, public_entries

        data = self.form.cleaned_data
        as_of = data.get("as_of")
        years = {key: data.get(key) for key in ("year_from", "year_to")}
        queryset = super().filter_queryset(queryset.annotate(current_status=current_status_subquery(as_of)))
        if data.get("status"):
            queryset = queryset.filter(current_status=data["status"])
        if any(value is not None for value in years.values()):
            entries = public_entries(as_of)
            if years["year_from"] is not None:
                entries = entries.filter(occasion_on__year__gte=years["year_from"])
            if years["year_to"] is not None:
                entries = entries.filter(occasion_on__year__lte=years["year_to"])
            queryset = queryset.filter(pk__in=entries.values("concern"))
        if data.get("stagnant") is not None:
            concerns = queryset.only("pk", "country")
            states = concern_states(concerns, as_of=as_of, with_entries=False)
            wanted = [pk for pk, state in states.items() if state.stagnant == data["stagnant"]]
            queryset = queryset.filter(pk__in=wanted)
        return queryset
