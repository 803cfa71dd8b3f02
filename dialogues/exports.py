"""Streamed CSV and JSON exports of a listing, with the listing's filters, fast at any size.

On PostgreSQL the CSV is written by the database: one `COPY (SELECT ...) TO STDOUT`, each column
an expression that yields its final text, streamed block by block; related records' codes are
joined once per distinct set of related ids (Lateral), not once per row. Elsewhere, and for JSON,
rows are read as plain values (`values_list`), never as model instances, in batches; the codes of
each batch's related records (countries, topics, sources) come in one query per relation. Both
paths give the same rows (tests/test_export_copy.py), and memory stays flat whatever the number
of rows.

An export declares its columns:
- `Value("title")`, a field of the record or of a to-one relation (`"country__iso_code"`),
  blank unless `published_via` (e.g. "programme") is a published record;
- `Date("held_on")`, a partial date written at its precision ("2008", "2008-06");
- `Codes("countries", "iso_code")`, the published related records' codes joined by ";";
- `RowCodes("sectors", "code")`, the codes of the record's own rows in a table that points to it
  (a project's stated DAC sectors), joined by ";".
"""

import csv
import datetime
import json
import re
from dataclasses import dataclass
from itertools import chain, islice

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.models import Case, Expression, F, Func, OuterRef, When
from django.db.models.functions import Cast, Concat, NullIf, Replace
from django.db.models.sql.constants import LOUTER
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterMixin

from . import export_xlsx
from .filtersets import CodeListField
from .partial_dates import DatePrecision, PartialDate
from .publishing import PublicationStatus
from .spreadsheet_text import neutralised_rows, neutralised_sql
from .sql_expressions import InArray, TableColumn

EXPORT_FORMATS = ("csv", "json", "xlsx")
BYTE_ORDER_MARK = "\ufeff"
FILE_NAME_LENGTH = 120  # a long search or many codes: the name stays one a file system takes
PUBLISHED = PublicationStatus.PUBLISHED
BATCH_SIZE = 1000  # rows read and written together by the JSON export (and CSV on SQLite): about 5 MB of a worker
COPY_CHUNK_SIZE = 64 * 1024  # libpq hands COPY data over row by row; the response gets blocks

PLACEHOLDER_PK = 918273645  # reversed into the detail URL once, then replaced by each row's id


def to_char(expression, pattern):
    return Func(expression, models.Value(pattern), function="to_char", output_field=models.CharField())


class Lateral(Expression):
    """`expression` computed in a table joined to each row, `LEFT JOIN LATERAL (SELECT <expression>
    AS value OFFSET 0) <name> ON true` (PostgreSQL), rather than among the row's own columns.

    PostgreSQL keeps such a table's value for each distinct value of the row's columns it reads
    (Memoize): a subquery over a row's related ids runs once per distinct set of ids, not once per
    row. OFFSET 0 keeps the table from being folded back into the row, where nothing is kept.
    Resolving a Lateral joins it to the query and gives its column.
    """

    def __init__(self, expression, name):
        super().__init__()
        self.expression, self.name = expression, name

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        expression = self.expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        alias = query.join(LateralJoin(self.name, query.get_initial_alias(), expression))
        return TableColumn(alias, "value", expression.output_field)


class LateralJoin:
    """A Lateral's entry in the FROM clause: an entry of `Query.alias_map`, as Django's Join is."""

    join_type = LOUTER
    nullable = True
    filtered_relation = None

    def __init__(self, table_name, parent_alias, expression, table_alias=None):
        self.table_name, self.parent_alias, self.expression = table_name, parent_alias, expression
        self.table_alias = table_alias  # set by Query.join()

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.expression)
        return (
            f'LEFT JOIN LATERAL (SELECT {sql} AS "value" OFFSET 0) {compiler.quote_name(self.table_alias)} ON true',
            params,
        )

    def relabeled_clone(self, change_map):
        parent, alias = (change_map.get(name, name) for name in (self.parent_alias, self.table_alias))
        return LateralJoin(self.table_name, parent, self.expression.relabeled_clone(change_map), alias)


def field_at(model, path):
    """The field a `values_list` path such as "call__total_amount_eur" ends on."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


@dataclass(frozen=True)
class Value:
    path: str
    header: str = ""
    published_via: str = ""
    blank_as_none: bool = False

    def __post_init__(self):
        if not self.header:
            object.__setattr__(self, "header", self.path)

    def visible(self):
        if not self.published_via:
            return F(self.path)
        return Case(When(**{f"{self.published_via}__publication_status": PUBLISHED}, then=F(self.path)), default=None)

    def selection(self, index):
        if not self.published_via:
            return {}, [self.path]
        name = f"_export_{index}"
        return {name: self.visible()}, [name]

    @property
    def headers(self):
        return (self.header,)

    def values(self, values, codes):
        (value,) = values
        if isinstance(value, datetime.datetime):
            return (value.isoformat(),)  # ISO 8601 in every format, as the CSV's SQL writes it
        return (None if self.blank_as_none and value == "" else value,)

    def spreadsheet_texts(self, model):
        if isinstance(field_at(model, self.path), (models.CharField, models.TextField)):
            return [neutralised_sql(self.text(model))]
        return [self.text(model)]

    def text(self, model):
        text = self.visible()
        if isinstance(field_at(model, self.path), models.DateTimeField):
            # datetime.isoformat(): "2024-05-01T10:11:12.345678+00:00", no fraction when it is 0
            text = Replace(to_char(text, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM'), models.Value(".000000"))
        return NullIf(text, models.Value("")) if self.blank_as_none else text


@dataclass(frozen=True)
class Date:
    """A partial date as text ("2008-06"), and beside it its precision ("month"), in a column of
    its own: never a full date that a spreadsheet would show as 1 June 2008."""

    field: str
    header: str

    @property
    def headers(self):
        return (self.header, f"{self.header}_precision")

    def selection(self, index):
        return {}, [self.field, f"{self.field}_precision"]

    def values(self, values, codes):
        partial = PartialDate.of(*values)
        return (partial.isoformat(), str(partial.precision)) if partial else (None, None)

    def spreadsheet_texts(self, model):  # digits first, never a formula
        precision = Case(When(**{f"{self.field}__isnull": False}, then=F(f"{self.field}_precision")), default=None)
        return [self.text(model), NullIf(precision, models.Value(""))]

    def text(self, model):
        """PartialDate.isoformat() in SQL."""
        precision, date = f"{self.field}_precision", F(self.field)
        return Case(
            When(**{precision: DatePrecision.YEAR}, then=to_char(date, "YYYY")),
            When(**{precision: DatePrecision.MONTH}, then=to_char(date, "YYYY-MM")),
            default=to_char(date, "YYYY-MM-DD"),
        )


@dataclass(frozen=True)
class Codes:
    """The published related records' codes, and (`names`) their names in a column beside them,
    in the same order: "KZ;KG" and "Kazakhstan;Kyrgyzstan"."""

    relation: str
    code: str
    header: str = ""
    order_by: str = ""
    names: str = ""  # e.g. "name"
    names_header: str = ""

    def __post_init__(self):
        if not self.header:
            object.__setattr__(self, "header", self.relation)

    @property
    def headers(self):
        return (self.header, self.names_header) if self.names else (self.header,)

    @property
    def blank(self):
        return ("",) * len(self.headers)

    @property
    def fields(self):
        return (self.code, self.names) if self.names else (self.code,)

    def selection(self, index):
        return {}, []

    def through(self, model):
        """The relation's through model, its field to the record and its field to the target."""
        field = model._meta.get_field(self.relation)
        return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()

    def ordering(self, prefix=""):
        """By `order_by`, then by code: the same order on both paths, ties included."""
        return [f"{prefix}{name}" for name in dict.fromkeys((self.order_by or self.code, self.code))]

    def published_links(self, model):
        through, own, target = self.through(model)
        links = through.objects.filter(**{f"{target}__publication_status": PUBLISHED})
        return links.order_by(*self.ordering(f"{target}__"))

    def fetch(self, model, ids):
        """{record id: ("code;code", "name;name")} for a batch of records: one query."""
        _, own, target = self.through(model)
        rows = (
            self.published_links(model)
            .filter(**{f"{own}_id__in": ids})
            .values_list(f"{own}_id", *(f"{target}__{field}" for field in self.fields))
        )
        joined = {}
        for record_id, *values in rows:
            joined.setdefault(record_id, []).append(values)
        return {key: tuple(";".join(parts) for parts in zip(*found, strict=True)) for key, found in joined.items()}

    def values(self, values, codes):
        return codes[self]

    @property
    def ids_alias(self):
        return f"_{self.relation}_ids"

    def ids(self, model):
        """The row's related ids in SQL: the array of them the model keeps (RELATION_ARRAYS), else
        read from the through table, in a Lateral only so that `text` has a column to join by."""
        if array := getattr(model, "RELATION_ARRAYS", {}).get(self.relation):
            return TableColumn(None, array, ArrayField(models.BigIntegerField()))
        through, own, target = self.through(model)
        ids = through.objects.filter(**{own: OuterRef("pk")}).values_list(f"{target}_id")
        return Lateral(ArraySubquery(ids), f"{self.relation}_ids")

    def spreadsheet_texts(self, model):  # a source's title may start with "="
        return [neutralised_sql(self.text(model, field)) for field in self.fields]

    def text(self, model, field):
        """The codes (or names) joined in SQL, in the order of `fetch`, from the ids the query holds
        as `ids_alias`: a Lateral, so that they are joined once per distinct set of ids."""
        target = model._meta.get_field(self.relation).related_model
        published = target.objects.published().filter(InArray(F("pk"), OuterRef(self.ids_alias)))
        codes = published.order_by(*self.ordering()).values_list(field)
        # ARRAY(SELECT ... ORDER BY) measured 6-30% faster than STRING_AGG(... ORDER BY) ... GROUP BY
        joined = Func(
            ArraySubquery(codes), models.Value(";"), function="array_to_string", output_field=models.TextField()
        )
        return Lateral(joined, f"{self.relation}_{field}")


@dataclass(frozen=True)
class RowCodes:
    """The codes of the record's own rows in a table that points to it (`relation`: the reverse
    foreign key, e.g. a project's "sectors"), in code order: "15150;15160". Such rows have no
    publication status of their own: they are part of the record."""

    relation: str
    code: str
    header: str = ""

    def __post_init__(self):
        if not self.header:
            object.__setattr__(self, "header", self.relation)

    @property
    def headers(self):
        return (self.header,)

    blank = ("",)

    def selection(self, index):
        return {}, []

    def rows(self, model):
        """The related model's rows and the name of their foreign key to the record."""
        relation = model._meta.get_field(self.relation)
        return relation.related_model.objects.order_by(self.code), relation.field.name

    def fetch(self, model, ids):
        """{record id: ("code;code",)} for a batch of records: one query."""
        rows, key = self.rows(model)
        joined = {}
        for record_id, code in rows.filter(**{f"{key}_id__in": ids}).values_list(f"{key}_id", self.code):
            joined.setdefault(record_id, []).append(code)
        return {record_id: (";".join(codes),) for record_id, codes in joined.items()}

    def values(self, values, codes):
        return codes[self]

    def spreadsheet_texts(self, model):
        return [neutralised_sql(self.text(model))]

    def text(self, model):
        rows, key = self.rows(model)
        codes = rows.filter(**{key: OuterRef("pk")}).values_list(self.code)
        joined = Func(
            ArraySubquery(codes), models.Value(";"), function="array_to_string", output_field=models.TextField()
        )
        return joined


FETCHED_COLUMNS = (Codes, RowCodes)  # read batch by batch beside the rows (`fetch`) on the Python path


class ExportView(FilterMixin, View):
    """Stream `Model.objects.published()` through the model's FilterSet as CSV or JSON; or send
    it as an XLSX workbook (dialogues/export_xlsx.py)."""

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
        queryset, base_url = filterset.qs, request.build_absolute_uri("/")[:-1]
        if fmt == "xlsx":
            return self.xlsx(queryset, base_url, filterset)
        if fmt == "csv":
            # a byte-order mark: without it Excel reads UTF-8 as the local code page ("€" as "â‚¬")
            chunks = chain([BYTE_ORDER_MARK], self.csv(queryset, base_url))
            response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
        else:
            chunks = json_chunks(self.headers(), self.rows(queryset, base_url))
            response = StreamingHttpResponse(chunks, content_type="application/json")
        # The rows are read as the body is sent, after the status: a database that does not answer
        # is found here, a 503 (dialogues_portal/database_unavailable.py), not a 200 with a header
        # line and nothing else. Opening a cursor checks the connection (health check, connect) and
        # runs no query; the export's own cursor stays closed until the body is read, so a response
        # never read holds nothing (a COPY in flight would block its connection).
        with connections[queryset.db].cursor():
            pass
        response["Content-Disposition"] = content_disposition_header(True, f"{self.file_name(filterset)}.{fmt}")
        return response

    def get_queryset(self):
        return self.model.objects.published()

    def file_name(self, filterset):
        """The file name says what was filtered: "projects-KZ-eidhr" for ?country=KZ&programme=eidhr,
        the filters in the FilterSet's order; codes and choices as they are, other values by name
        ("year_from-2010"). Read from the validated query string: no query to the database."""
        if not filterset.is_bound:
            return self.filename
        parts = [self.filename]
        for name, value in filterset.form.cleaned_data.items():
            field = filterset.form.fields[name]
            if name == "ordering" or value in (None, "") or not filterset.form.data.get(name):
                continue
            if isinstance(field, CodeListField):
                items = filterset.form.data.getlist(name)
                parts += [field.normalise(code.strip()) for item in items for code in item.split(",") if code.strip()]
            elif isinstance(field, forms.ChoiceField):
                parts.append(str(value))
            else:
                parts.append(f"{name}-{value}")
        words = (re.sub(r"[^\w.]+", "-", part).strip("-.") for part in parts)
        return "-".join(word for word in words if word)[:FILE_NAME_LENGTH].rstrip("-")

    def headers(self):
        return ["id", *(header for column in self.columns for header in column.headers), "url"]

    def xlsx(self, queryset, base_url, filterset):
        """The rows of the JSON export as a workbook, the partial dates in text cells."""
        text_columns, index = [], 1
        for column in self.columns:
            if isinstance(column, Date):
                text_columns += [index, index + 1]
            index += len(column.headers)
        limit = export_xlsx.XLSX_MAX_ROWS
        if queryset.order_by().values("pk")[: limit + 1].count() > limit:  # counted before the work is done
            message = _("More than %(rows)s rows for a workbook: narrow the filters, or take the CSV.") % {
                "rows": f"{limit:,}"
            }
            return JsonResponse({"errors": {"__all__": [{"message": message, "code": "too_many_rows"}]}}, status=400)
        content = export_xlsx.workbook(
            self.filename, self.headers(), self.rows(queryset, base_url), text_columns=text_columns
        )
        response = HttpResponse(content, content_type=export_xlsx.CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, f"{self.file_name(filterset)}.xlsx")
        return response

    def detail_url_parts(self):
        placeholder = str(PLACEHOLDER_PK)
        return reverse(self.detail_url_name, kwargs={self.detail_url_field: placeholder}).split(placeholder)

    def csv(self, queryset, base_url):
        alias = queryset.db  # read now: the router's pin to the primary ends with the request
        if connections[alias].vendor != "postgresql":
            return csv_lines(self.headers(), self.rows(queryset, base_url))
        url_prefix, url_suffix = self.detail_url_parts()
        code_columns = [column for column in self.columns if isinstance(column, Codes)]
        queryset = queryset.alias(**{column.ids_alias: column.ids(self.model) for column in code_columns})
        texts = [
            F("pk"),
            *(text for column in self.columns for text in column.spreadsheet_texts(self.model)),
            Concat(
                models.Value(f"{base_url}{url_prefix}"),
                Cast(self.detail_url_field, models.TextField()),
                models.Value(url_suffix),
                output_field=models.TextField(),
            ),
        ]
        names = {f"_export_{index}": text for index, text in enumerate(texts)}
        # a plain QuerySet: django-modeltranslation's values_list() reorders annotation names, and
        # COPY writes the columns in the order the SELECT gives them
        plain = models.QuerySet(model=queryset.model, query=queryset.query.chain(), using=queryset.db)
        query = plain.annotate(**names).values_list(*names).query
        sql, params = query.get_compiler(using=alias).as_sql()
        return copied(alias, csv_header(self.headers()), sql, params)

    def rows(self, queryset, base_url):
        # the URL's field under a name of its own: django-modeltranslation's values_list() drops a
        # name given twice, and that field is often the pk (every later column then slid by one)
        annotations, names, spans = {"_export_url_key": F(self.detail_url_field)}, ["pk", "_export_url_key"], []
        for index, column in enumerate(self.columns):
            extra, selected = column.selection(index)
            annotations.update(extra)
            spans.append((column, len(names), len(names) + len(selected)))
            names += selected
        values = queryset.annotate(**annotations).values_list(*names).iterator(chunk_size=BATCH_SIZE)
        url_prefix, url_suffix = self.detail_url_parts()
        code_columns = [column for column in self.columns if isinstance(column, FETCHED_COLUMNS)]
        while batch := list(islice(values, BATCH_SIZE)):
            ids = [row[0] for row in batch]
            fetched = {column: column.fetch(self.model, ids) for column in code_columns}
            for row in batch:
                codes = {column: fetched[column].get(row[0], column.blank) for column in code_columns}
                yield [
                    row[0],
                    *(value for column, start, end in spans for value in column.values(row[start:end], codes)),
                    f"{base_url}{url_prefix}{row[1]}{url_suffix}",
                ]


def copied(alias, header, sql, params):
    """The header, then the output of `COPY ({sql}) TO STDOUT` in blocks of COPY_CHUNK_SIZE bytes."""
    yield header
    connection = connections[alias]
    # A client that goes away mid-COPY closes this generator: psycopg cancels the COPY and reads
    # what is left, and the transaction (for SET LOCAL) is rolled back: the connection is ready for
    # the next request. No savepoint inside an outer transaction: that one is marked for rollback.
    atomic = transaction.atomic(using=alias, savepoint=False)
    with atomic, connection.cursor() as cursor, connection.wrap_database_errors:
        # Compiling this query to machine code (JIT, triggered by the subqueries' cost estimate) took
        # longer than running it: 2.8 s instead of 1.6 s for 40,000 rows.
        cursor.execute("SET LOCAL jit = off")
        # Parameters bound client-side, by psycopg: COPY takes none, nor does Django's cursor.copy().
        statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params)
        with cursor.copy(statement) as copy:
            block = bytearray()
            for row in copy:
                block += row
                if len(block) >= COPY_CHUNK_SIZE:
                    yield bytes(block)
                    block.clear()
            yield bytes(block)


class Echo:
    """A file-like object whose write returns the line: csv.writer then yields row by row."""

    def write(self, value):
        return value


def csv_writer():
    """Lines ended by a line feed alone, as PostgreSQL's COPY writes them."""
    return csv.writer(Echo(), lineterminator="\n")


def csv_header(headers):
    return csv_writer().writerow(headers)


def csv_lines(headers, rows):
    writer = csv_writer()
    yield writer.writerow(headers)
    for row in neutralised_rows(rows):
        yield writer.writerow(["" if value is None else value for value in row])


def json_chunks(headers, rows):
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(dict(zip(headers, row, strict=True)), cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
