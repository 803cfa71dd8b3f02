"""The machinery every public listing shares: filter, sort, paginate, count per option, export.

A listing is `Model.objects.published().for_listing()` run through the model's one FilterSet; the
page and its CSV/JSON exports take the same query string, so a bookmarked filter exports as shown.
"""

import csv
import json

from django import forms
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views import View
from django.views.generic import DetailView, ListView
from django_filters.views import FilterMixin

from .filtersets import CodeListFilter

EXPORT_CHUNK_SIZE = 500
EXPORT_FORMATS = ("csv", "json")


class PublishedQuerysetMixin:
    """Public pages start from the published rows, loaded as the model's QuerySet says."""

    loading = "for_listing"

    def get_queryset(self):
        return getattr(self.model.objects.published(), self.loading)()


class FilteredListView(PublishedQuerysetMixin, FilterMixin, ListView):
    """A filtered, sorted, paginated listing. Invalid filters show their errors and no rows."""

    paginate_by = 20
    export_url_name = None  # e.g. "dialogueround-export"; the exports keep the same query string

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        self.object_list = self.filterset.qs if valid else self.filterset.queryset.none()
        return self.render_to_response(self.get_context_data(filter=self.filterset, filter_is_valid=valid))

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for name, filter_ in filterset.filters.items():
            if isinstance(filter_, CodeListFilter):
                # checkboxes: keyboard-usable and readable without JavaScript; values as in the URL
                field = filterset.form.fields[name]
                field.help_text = ""  # the API's help ("ISO code, e.g. KZ") does not fit checkboxes
                field.widget = forms.CheckboxSelectMultiple(
                    choices=[(getattr(obj, filter_.extra["to_field_name"]), str(obj)) for obj in field.queryset]
                )
        return filterset

    def paginate_queryset(self, queryset, page_size):
        """A page number that is too large shows the last page; one that is not a number, the first."""
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = {}
        valid, bound = context["filter_is_valid"], self.filterset.is_bound
        cleaned = self.filterset.form.cleaned_data if valid and bound else {}
        for name, filter_ in self.filterset.filters.items():
            if not isinstance(filter_, CodeListFilter) or not valid:
                continue
            # each option counts the rows it would give with the other filters kept: one query
            matching = self.filterset.queryset
            for other, value in cleaned.items():
                if other != name:
                    matching = self.filterset.filters[other].filter(matching, value)
            counts[name] = filter_.option_counts(matching)
            widget = self.filterset.form.fields[name].widget
            widget.choices = [(value, f"{label} ({counts[name].get(value, 0)})") for value, label in widget.choices]
        context["option_counts"] = counts
        context["is_filtered"] = any(
            value not in ("", None) for key, value in self.request.GET.items() if key not in ("page", "ordering")
        )
        if self.export_url_name:
            query = self.request.GET.copy()
            query.pop("page", None)
            suffix = f"?{query.urlencode()}" if query else ""
            context["export_links"] = [
                (fmt.upper(), reverse(self.export_url_name, kwargs={"fmt": fmt}) + suffix) for fmt in EXPORT_FORMATS
            ]
        return context


class PublishedDetailView(PublishedQuerysetMixin, DetailView):
    """A public detail page: drafts and unknown identifiers are 404.

    Those who may change the model (editors) also see its drafts, to preview them before they are
    published: the page says so, and the response is never stored by a shared cache.
    """

    loading = "for_detail"

    def get_queryset(self):
        return getattr(self.model.objects.visible_to(self.request.user), self.loading)()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            patch_cache_control(response, private=True, no_store=True)
        return response


class Echo:
    """A file-like object whose write returns the line: csv.writer then yields row by row."""

    def write(self, value):
        return value


class ExportView(PublishedQuerysetMixin, FilterMixin, View):
    """Stream a listing as CSV or JSON with the listing's filters; memory stays flat.

    Subclasses give `columns`: [(header, function of a record)], values as plain data (str,
    int, Decimal, None); a last column gives the record's public URL. CSV writes None as an empty cell; JSON as null.
    """

    columns = ()
    filename = "export"

    def get(self, request, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
        # .iterator(chunk_size=...) keeps the for_listing prefetches, one batch of rows at a time
        records = filterset.qs.iterator(chunk_size=EXPORT_CHUNK_SIZE)
        base = request.build_absolute_uri("/")[:-1]
        rows = (
            [function(record) for _header, function in self.columns] + [base + record.get_absolute_url()]
            for record in records
        )
        headers = [header for header, _function in self.columns] + ["url"]
        if fmt == "csv":
            response = StreamingHttpResponse(self.csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
        else:
            response = StreamingHttpResponse(self.json_chunks(headers, rows), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}.{fmt}"'
        return response

    @staticmethod
    def csv_lines(headers, rows):
        writer = csv.writer(Echo())
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow(["" if value is None else value for value in row])

    @staticmethod
    def json_chunks(headers, rows):
        yield "["
        separator = "\n"
        for row in rows:
            yield separator + json.dumps(
                dict(zip(headers, row, strict=True)), cls=DjangoJSONEncoder, ensure_ascii=False
            )
            separator = ",\n"
        yield "\n]\n"


def iso(partial):
    """A partial date for exports: "2008", "2008-06" or "2008-06-15"; None when unknown."""
    return partial.isoformat() if partial else None


def codes(records):
    return ";".join(record.iso_code for record in records)


def slugs(records):
    return ";".join(record.slug for record in records)
