"""Streamed CSV and JSON exports of a listing, with the listing's filters, fast at any size.

Rows are read as plain values (`values_list`), never as model instances, in batches; the codes
of each batch's related records (countries, topics, sources) come in one query per relation.
Memory stays flat whatever the number of rows, and a hundred thousand rows take seconds.

An export declares its columns:
- `Value("title")`, a field of the record or of a to-one relation (`"country__iso_code"`),
  blank unless `published_via` (e.g. "programme") is a published record;
- `Date("held_on")`, a partial date written at its precision ("2008", "2008-06");
- `Codes("countries", "iso_code")`, the published related records' codes joined by ";".
"""

import csv
import json
from dataclasses import dataclass
from itertools import islice

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, F, When
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views import View
from django_filters.views import FilterMixin

from .partial_dates import PartialDate
from .publishing import PublicationStatus

EXPORT_FORMATS = ("csv", "json")
PUBLISHED = PublicationStatus.PUBLISHED
BATCH_SIZE = 2000
PLACEHOLDER_PK = 918273645  # reversed into the detail URL once, then replaced by each row's id


@dataclass(frozen=True)
class Value:
    path: str
    header: str = ""
    published_via: str = ""
    blank_as_none: bool = False

    def __post_init__(self):
        if not self.header:
            object.__setattr__(self, "header", self.path)

    def selection(self, index):
        if not self.published_via:
            return {}, [self.path]
        name = f"_export_{index}"
        visible = When(**{f"{self.published_via}__publication_status": PUBLISHED}, then=F(self.path))
        return {name: Case(visible, default=None)}, [name]

    def value(self, values, codes):
        (value,) = values
        return None if self.blank_as_none and value == "" else value


@dataclass(frozen=True)
class Date:
    field: str
    header: str

    def selection(self, index):
        return {}, [self.field, f"{self.field}_precision"]

    def value(self, values, codes):
        partial = PartialDate.of(*values)
        return partial.isoformat() if partial else None


@dataclass(frozen=True)
class Codes:
    relation: str
    code: str
    header: str = ""
    order_by: str = ""

    def __post_init__(self):
        if not self.header:
            object.__setattr__(self, "header", self.relation)

    def selection(self, index):
        return {}, []

    def fetch(self, model, ids):
        """{record id: "code;code"} for a batch of records: one query."""
        field = model._meta.get_field(self.relation)
        through = field.remote_field.through
        own, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = (
            through.objects.filter(**{f"{own}_id__in": ids, f"{target}__publication_status": PUBLISHED})
            .order_by(f"{target}__{self.order_by or self.code}")
            .values_list(f"{own}_id", f"{target}__{self.code}")
        )
        joined = {}
        for record_id, code in rows:
            joined.setdefault(record_id, []).append(code)
        return {record_id: ";".join(codes) for record_id, codes in joined.items()}

    def value(self, values, codes):
        return codes[self]


class ExportView(FilterMixin, View):
    """Stream `Model.objects.published()` through the model's FilterSet as CSV or JSON."""

    model = None
    columns = ()
    filename = "export"
    detail_url_name = ""  # the public page of a record, reversed with
    detail_url_field = "pk"  # this field as the URL's keyword argument of the same name

    def get(self, request, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
        headers = ["id", *(column.header for column in self.columns), "url"]
        rows = self.rows(filterset.qs, request.build_absolute_uri("/")[:-1])
        if fmt == "csv":
            response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
        else:
            response = StreamingHttpResponse(json_chunks(headers, rows), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}.{fmt}"'
        return response

    def get_queryset(self):
        return self.model.objects.published()

    def rows(self, queryset, base_url):
        annotations, names, spans = {}, ["pk", self.detail_url_field], []
        for index, column in enumerate(self.columns):
            extra, selected = column.selection(index)
            annotations.update(extra)
            spans.append((column, len(names), len(names) + len(selected)))
            names += selected
        values = queryset.annotate(**annotations).values_list(*names).iterator(chunk_size=BATCH_SIZE)
        placeholder = str(PLACEHOLDER_PK)
        url = reverse(self.detail_url_name, kwargs={self.detail_url_field: placeholder})
        url_prefix, url_suffix = url.split(placeholder)
        code_columns = [column for column in self.columns if isinstance(column, Codes)]
        while batch := list(islice(values, BATCH_SIZE)):
            ids = [row[0] for row in batch]
            fetched = {column: column.fetch(self.model, ids) for column in code_columns}
            for row in batch:
                codes = {column: fetched[column].get(row[0], "") for column in code_columns}
                yield [
                    row[0],
                    *(column.value(row[start:end], codes) for column, start, end in spans),
                    f"{base_url}{url_prefix}{row[1]}{url_suffix}",
                ]


class Echo:
    """A file-like object whose write returns the line: csv.writer then yields row by row."""

    def write(self, value):
        return value


def csv_lines(headers, rows):
    writer = csv.writer(Echo())
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow(["" if value is None else value for value in row])


def json_chunks(headers, rows):
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(dict(zip(headers, row, strict=True)), cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
