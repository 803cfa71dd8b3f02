"""The machinery every public listing shares: filter, sort, paginate, count per option.

A listing is `Model.objects.published().for_listing()` run through the model's one FilterSet; the
page and its CSV/JSON exports (dialogues/exports.py) take the same query string, so a bookmarked
filter exports as shown.
"""

import base64
import binascii
import datetime
import hashlib
import json
from functools import partial
from urllib.parse import parse_qsl, urlencode

from django import forms
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Q
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView
from django_filters.views import FilterMixin

from .cache import cached
from .default_order import follows_default_order
from .exports import EXPORT_FORMATS
from .filtersets import CodeListFilter
from .widgets import FoldingCheckboxes

# Counting a large listing exactly on every request costs as much as the table is large. A listing
# the planner estimates at more than EXACT_COUNT_LIMIT rows shows an estimate ("about 1,000,000"),
# one below it is counted exactly, up to COUNT_CAP (past it: "more than 10,000"); either way no
# request reads more than COUNT_CAP rows to count them. Page numbers reach the first COUNT_CAP rows;
# beyond them (and on any large listing) the "Next" link is a keyset cursor (`?after=`).
EXACT_COUNT_LIMIT = 2_000
COUNT_CAP = 10_000


def estimated_rows(queryset):
    """The planner's estimate of the rows of `queryset` (PostgreSQL), or None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class ResultCount:
    """How many rows a listing has, as cheaply as is honest: exact, "more than", or "about"."""

    def __init__(self, value, *, exact, capped=False):
        self.value, self.exact, self.capped = value, exact, capped

    @classmethod
    def of(cls, queryset, *, estimate=True):
        estimate = estimated_rows(queryset) if estimate else None
        if estimate is not None and estimate > EXACT_COUNT_LIMIT:
            return cls(estimate, exact=False)
        counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        if counted > COUNT_CAP:
            return cls(COUNT_CAP, exact=False, capped=True)
        return cls(counted, exact=True)


def encode_keyset(key):
    """A keyset cursor: the (date or None, id) of the last row shown, as an opaque URL-safe string."""
    value, pk = key
    text = f"{value.isoformat() if value else ''}~{int(pk)}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_keyset(cursor):
    """(date or None, id) from `encode_keyset`'s string; None when it is not one (never an error)."""
    if not cursor or len(cursor) > 64:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, pk = text.split("~")
        pk = int(pk)
        value = datetime.date.fromisoformat(value) if value else None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:
        return None
    return value, pk


def keyset_ids(queryset, field, key, limit, *, before=False):
    """The ids of up to `limit` rows of `queryset` after `key` (or just before it, when `before`) in
    the order `field DESC NULLS LAST, id DESC` (the models' default), in that order, in one query.

    Each branch follows the index in that order (funding/migrations: project_public_listing) from
    the cursor on, so a page deep in a million rows costs what the first page costs: the dated
    rows, then the undated ones (which come last).
    """
    value, pk = key
    rows = queryset.order_by().values_list("pk", field)
    undated = rows.filter(**{f"{field}__isnull": True})
    dated = rows.filter(**{f"{field}__isnull": False})
    if connections[queryset.db].vendor != "postgresql":  # no LIMIT inside UNION (SQLite): one OR
        after = Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}) if value else Q(pk__lt=pk)
        after = (after | Q(**{f"{field}__isnull": True})) if value else (after & Q(**{f"{field}__isnull": True}))
        order = [F(field).desc(nulls_last=True), "-pk"]
        if before:
            after, order = ~after & ~Q(pk=pk), [F(field).asc(nulls_first=True), "pk"]
        found = list(rows.filter(after).order_by(*order)[:limit])
    elif not before and value is None:
        found = list(undated.filter(pk__lt=pk).order_by("-pk")[:limit])
    elif not before:
        dated = dated.filter(Q(**{f"{field}__lt": value}) | Q(pk__lt=pk), **{f"{field}__lte": value})
        dated = dated.order_by(F(field).desc(nulls_last=True), "-pk")[:limit]
        found = list(dated.union(undated.order_by("-pk")[:limit], all=True))
    elif value is None:  # before an undated row: later undated ids, then the oldest dated rows
        later = undated.filter(pk__gt=pk).order_by("pk")[:limit]
        found = list(later.union(dated.order_by(F(field).asc(nulls_first=True), "pk")[:limit], all=True))
    else:
        dated = dated.filter(Q(**{f"{field}__gt": value}) | Q(pk__gt=pk), **{f"{field}__gte": value})
        found = list(dated.order_by(F(field).asc(nulls_first=True), "pk")[:limit])
    found.sort(key=lambda row: (row[1] is None, -(row[1].toordinal() if row[1] else 0), -row[0]))
    return [row[0] for row in (found[-limit:] if before else found[:limit])]


class KeysetPage:
    """A page of a large listing: reached by number (the first pages) or by keyset cursor."""

    def __init__(self, records, *, number, has_next, has_previous):
        self.object_list, self.number = records, number
        self._has_next, self._has_previous = has_next, has_previous

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

    def has_other_pages(self):
        return self._has_next or self._has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def without_empty_parameters(request):
    """The request's URL without its empty parameters (`?country=KZ&topic=&q=` -> `?country=KZ`),
    the others kept in their order; None when it has none. A form submitted without JavaScript
    sends every field, and its URL is then the one shared and bookmarked."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if value != ""]
    if len(kept) == len(pairs):
        return None
    return f"{request.path}?{urlencode(kept)}" if kept else request.path


class PublishedQuerysetMixin:
    """Public pages start from the published rows, loaded as the model's QuerySet says."""

    loading = "for_listing"

    def get_queryset(self):
        return getattr(self.model.objects.published(), self.loading)()


class FilteredListView(PublishedQuerysetMixin, FilterMixin, ListView):
    """A filtered, sorted, paginated listing. Invalid filters show their errors and no rows.

    Large listings (see ResultCount) are not counted exactly, show per-option counts only where
    they are cheap, and page by keyset when `keyset_field` is set and the default order applies.
    """

    paginate_by = 20
    public_response_cache = True  # a visitor's page is served again until the next edit (response_cache.py)
    query_parameters = ("page", "after")  # besides the FilterSet's (the response cache's key)
    export_url_name = None  # e.g. "dialogueround-export"; the exports keep the same query string
    keyset_field = None  # a date field: the model is ordered by it DESC NULLS LAST, then by -id
    estimate_counts = False  # a table that may grow large: ask the planner before counting (+1 query)
    option_count_limit = 10_000  # per-option counts only over a set estimated at most this large

    def get(self, request, *args, **kwargs):
        if (kept := without_empty_parameters(request)) is not None:
            return HttpResponseRedirect(kept)
        self.filterset = self.get_filterset(self.get_filterset_class())
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        self.object_list = self.filterset.qs if valid else self.filterset.queryset.none()
        return self.render_to_response(self.get_context_data(filter=self.filterset, filter_is_valid=valid))

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for name, filter_ in filterset.filters.items():
            if isinstance(filterset.form.fields[name], forms.ChoiceField):
                # a list of named options explains itself; the API's help names the raw values
                filterset.form.fields[name].help_text = ""
            if isinstance(filter_, CodeListFilter):
                # checkboxes: keyboard-usable and readable without JavaScript; values as in the URL
                field = filterset.form.fields[name]
                field.help_text = ""  # the API's help ("ISO code, e.g. KZ") does not fit checkboxes
                # the options are read only if the form is rendered (it is cached: see filter_form)
                field.widget = FoldingCheckboxes(choices=partial(filter_.option_choices, field))
        return filterset

    def keyset_applies(self, queryset):
        """Keyset pages follow the default order only (no `ordering`, no search rank)."""
        query = queryset.query
        return self.keyset_field is not None and follows_default_order(query) and not query.is_empty()

    def link(self, **changes):
        query = self.request.GET.copy()
        for key in ("page", "after"):
            query.pop(key, None)
        query.update({key: value for key, value in changes.items() if value is not None})
        return f"?{query.urlencode()}" if query else self.request.path

    def next_link(self, records):
        last = records[-1]
        return self.link(after=encode_keyset((getattr(last, self.keyset_field), last.pk)))

    def paginate_queryset(self, queryset, page_size):
        """A page number that is too large shows the last page; one that is not a number, the first.

        An `after` cursor that is not one of ours shows the first page too: never an error.
        """
        self.pagination_links = {}
        keyset = self.keyset_applies(queryset)
        key = decode_keyset(self.request.GET.get("after")) if keyset else None
        if key is not None:
            self.result_count = None  # a keyset page does not count: it may be a million rows in
            ids = keyset_ids(queryset, self.keyset_field, key, page_size + 1)
            records = list(queryset.filter(pk__in=ids[:page_size]))
            page = KeysetPage(records, number=None, has_next=len(ids) > page_size, has_previous=True)
            self.pagination_links = {"first": self.link(), "next": self.next_link(records) if page.has_next() else None}
            return None, page, records, True
        if queryset.query.is_empty():
            count = ResultCount(0, exact=True)
        else:  # per filter state, until the next edit (dialogues/cache.py)
            key = f"result-count:{self.filter_state(without=('page', 'after', 'ordering'))}"
            count = cached(key, lambda: ResultCount.of(queryset, estimate=self.estimate_counts))
        self.result_count = count
        paginator = Paginator(queryset, page_size)
        paginator.count = min(count.value, COUNT_CAP)  # known already: no second COUNT(*)
        if count.exact or not keyset:
            page = paginator.get_page(self.request.GET.get("page"))
            return paginator, page, page.object_list, page.has_other_pages()
        number = paginator.get_page(self.request.GET.get("page")).number  # validated, within COUNT_CAP rows
        start = (number - 1) * page_size
        records = list(queryset[start : start + page_size + 1])
        has_next = len(records) > page_size
        records = records[:page_size]
        page = KeysetPage(records, number=number, has_next=has_next, has_previous=number > 1)
        self.pagination_links = {
            "previous": self.link(page=number - 1) if number > 1 else None,
            "next": self.next_link(records) if has_next else None,
        }
        return paginator, page, records, page.has_other_pages()

    def filter_state(self, *, without=("page", "after")):
        """The filters of the query string, as a short key: the same filters give the same key, and
        a parameter that is not a filter (junk, paging) makes no new cached value."""
        items = sorted(
            (key, value)
            for key, values in self.request.GET.lists()
            if key in self.filterset.filters and key not in without
            for value in values
        )
        digest = hashlib.sha256(repr(items).encode()).hexdigest()[:32]
        return f"{self.model._meta.label_lower}:{digest}"

    def count_options(self, valid):
        """{filter name: {option value: rows}}; each label of the form's checkboxes gets its count."""
        counts = {}
        bound = self.filterset.is_bound
        cleaned = self.filterset.form.cleaned_data if valid and bound else {}
        cheap = self.result_count is not None and self.result_count.exact
        for name, filter_ in self.filterset.filters.items():
            if not isinstance(filter_, CodeListFilter) or not valid or not cheap:
                continue
            # each option counts the rows it would give with the other filters kept: one query,
            # when that set is small enough to count on every request (else the labels go bare)
            matching = self.filterset.queryset
            for other, value in cleaned.items():
                if other != name:
                    matching = self.filterset.filters[other].filter(matching, value)
            if self.estimate_counts and name in cleaned and cleaned[name]:
                # without its own filter the set may be large: count only if the planner says not
                estimate = estimated_rows(matching)
                if estimate is not None and estimate > self.option_count_limit:
                    continue
            counts[name] = filter_.option_counts(matching)
        return counts

    def filter_form(self, valid):
        """The filter form's HTML and the per-option counts in it, cached per filter state and
        language until the next edit (dialogues/cache.py): rendering a form with its checkboxes
        and counting per option cost a listing more than its page of rows."""

        def render():
            counts = self.count_options(valid)
            for name, by_value in counts.items():
                self.filterset.form.fields[name].widget.counts = by_value  # labelled and folded by it
            return counts, str(self.filterset.form)

        key = f"filter-form:{get_language()}:{self.filter_state(without=('page', 'after'))}"
        return cached(key, render)

    def api_path(self, page):
        """The API call behind this view: the API's list of the same model (api:<model>-list), with
        the listing's filters (one FilterSet: the same names), as many records a page and the same
        page by number; None for a model the API does not list."""
        try:
            path = reverse(f"api:{self.model._meta.model_name}-list")
        except NoReverseMatch:
            return None
        query = self.request.GET.copy()
        for key in list(query):
            values = [value for value in query.getlist(key) if value != ""]
            if key in self.filterset.filters and values:
                query.setlist(key, values)
            else:
                del query[key]  # paging, or a parameter the listing ignores
        query["page_size"] = str(self.paginate_by)
        if page is not None and page.number and page.number > 1:
            query["page"] = str(page.number)
        return f"{path}?{query.urlencode()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["result_count"], context["pagination_links"] = self.result_count, self.pagination_links
        context["option_counts"], context["filter_form"] = self.filter_form(context["filter_is_valid"])
        cleaned = getattr(self.filterset.form, "cleaned_data", {}) if context["filter_is_valid"] else {}
        context["search_query"] = cleaned.get("q") or ""  # the rows mark the words it found
        context["is_filtered"] = any(
            value not in ("", None)
            for key, value in self.request.GET.items()
            if key not in ("page", "ordering", "after")
        )
        if self.export_url_name:
            query = self.request.GET.copy()
            query.pop("page", None)
            query.pop("after", None)
            suffix = f"?{query.urlencode()}" if query else ""
            context["export_links"] = [
                (fmt.upper(), reverse(self.export_url_name, kwargs={"fmt": fmt}) + suffix) for fmt in EXPORT_FORMATS
            ]
        context["api_path"] = self.api_path(context.get("page_obj"))
        return context


class PublishedDetailView(DetailView):
    """A public detail page: drafts and unknown identifiers are 404.

    Those who may change the model (editors) also see its drafts, to preview them before they are
    published: the page says so, and the response is never stored by a shared cache.

    The page's content (`<app>/<model>_detail_content.html`) is rendered with the record loaded
    as `loading` says; for a published record it is cached per language until the next edit
    (dialogues/cache.py), so a page served again reads one row and the cache. Drafts are rendered
    on every request.
    """

    loading = "for_detail"
    public_response_cache = True  # the whole page, for visitors (dialogues_portal/response_cache.py)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_content_template(self):
        opts = self.model._meta
        return f"{opts.app_label}/{opts.model_name}_detail_content.html"

    def render_content(self, context):
        record = getattr(self.get_queryset(), self.loading)().get(pk=self.object.pk)
        names = {"object": record, self.get_context_object_name(record): record}
        return render_to_string(self.get_content_template(), {**context, **names})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.is_published:
            key = f"page-content:{get_language()}:{self.model._meta.label_lower}:{self.object.pk}"
            context["content"] = cached(key, lambda: self.render_content(context))
        else:
            context["content"] = self.render_content(context)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            patch_cache_control(response, private=True, no_store=True)
        return response
