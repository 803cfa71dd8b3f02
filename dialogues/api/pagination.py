"""Pagination for every API listing: 50 records a page by default, `page_size` up to 500.

Page numbers (with `count`) everywhere, except projects in their default order, which page by
keyset cursor (`ProjectPagination`). DRF's own `CursorPagination` is not used: the FilterSets'
`ordering` keys (start date, amount) are nullable and search ranks are computed, and it would
silently drop the rows whose key is NULL; the project cursor follows the default order's
(start date, id) key with NULLs handled, and falls back to page numbers for `ordering`, `q` or
`page=`. Clients follow the `next` and `previous` links rather than build page numbers.

The queryset is counted and cut into pages as it is; for listings built from values (values.py)
only a page's slice is then read as rows (dicts holding `pk` and the pagination's `record_fields`):
the count and the cursor's ids query stay free of the joins the rows need.
"""

from functools import partial

from django.core.paginator import InvalidPage, Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ..default_order import follows_default_order

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def field_of(record, name):
    """A field of a page's record: a row (dict) or an instance."""
    return record[name] if isinstance(record, dict) else getattr(record, name)


class RecordsPaginator(Paginator):
    """Django's paginator, with a page's slice of the queryset read through `records`."""

    def __init__(self, object_list, per_page, *, records, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.records = records

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(self.records(object_list), number, paginator)


class ListPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    read_rows = None  # set by a view listing rows: (queryset, *more paths) -> its values() rows
    record_fields = ()  # what the links read of a page's records, besides pk
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = _("Page number (from 1). Prefer following the `next` and `previous` links.")
    page_size_query_description = _(
        "Records per page: %(default)s by default, at most %(max)s (a larger value gives %(max)s)."
    ) % {"default": DEFAULT_PAGE_SIZE, "max": MAX_PAGE_SIZE}

    def _whole_number(self, request, name):
        value = request.query_params.get(name)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise exceptions.ValidationError({name: [_("Expected a whole number of at least 1.")]})
        return number

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def records(self, queryset):
        """A page's slice of the queryset as the view reads it: instances, or rows."""
        return queryset if self.read_rows is None else self.read_rows(queryset, *self.record_fields)

    @property
    def django_paginator_class(self):
        return partial(RecordsPaginator, records=self.records)

    def paginate_queryset(self, queryset, request, view=None):
        # Bad numbers are a 400 with the parameter named; a page past the end is a 404.
        self._whole_number(request, self.page_query_param)
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise
        except InvalidPage:  # pragma: no cover - super() turns it into NotFound
            raise exceptions.NotFound() from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["default"] = DEFAULT_PAGE_SIZE
        return parameters


class ProjectPagination(ListPagination):
    """Projects: keyset (cursor) pagination in the default order; page numbers on request.

    Without `page`, `ordering` or `q`, the listing follows its default order (start date, newest
    first, unknown last; then id) page by page from a `cursor` (the `next` and `previous` links):
    each page costs the same at a million rows as at ten, and there is no `count` (counting a
    million rows on every request is what this avoids). With `page=`, or with `ordering` or `q`
    (whose keys are nullable or computed), page numbers and `count` as on every other listing.
    A cursor that is not one of ours is a 400.
    """

    cursor_query_param = "cursor"
    cursor_query_description = _("Where the page starts: take it from the `next` or `previous` link.")
    keyset_field = "starts_on"

    @property
    def record_fields(self):
        return (self.keyset_field,)

    def paginate_queryset(self, queryset, request, view=None):
        from dialogues.listing import keyset_ids

        query = queryset.query
        self.keyset = self.page_query_param not in request.query_params and follows_default_order(query)
        if not self.keyset:
            return super().paginate_queryset(queryset, request, view)
        self.request, size = request, self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        direction, key = "next", None
        if cursor is not None:
            direction, key = decode_cursor(cursor)
            if key is None:
                raise exceptions.ValidationError({self.cursor_query_param: [_("Invalid cursor.")]})
        if key is None:
            records = list(self.records(queryset[: size + 1]))
            self.has_next, self.has_previous = len(records) > size, False
            records = records[:size]
        else:
            ids = keyset_ids(queryset, self.keyset_field, key, size + 1, before=direction == "previous")
            more = len(ids) > size
            ids = ids[-size:] if direction == "previous" else ids[:size]
            records = list(self.records(queryset.filter(pk__in=ids)))
            if direction == "previous":
                self.has_next, self.has_previous = True, more
            else:
                self.has_next, self.has_previous = more, True
        self.records = records
        return records

    def _link(self, direction, record):
        from dialogues.listing import encode_keyset

        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.page_query_param)
        key = (field_of(record, self.keyset_field), field_of(record, "pk"))
        return replace_query_param(url, self.cursor_query_param, encode_cursor(direction, key, encode_keyset))

    def get_next_link(self):
        if not self.keyset:
            return super().get_next_link()
        return self._link("next", self.records[-1]) if self.has_next and self.records else None

    def get_previous_link(self):
        if not self.keyset:
            return super().get_previous_link()
        if not self.has_previous or not self.records:
            return None
        return self._link("previous", self.records[0])

    def get_paginated_response(self, data):
        if not self.keyset:
            return super().get_paginated_response(data)
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        response["properties"]["count"]["description"] = str(
            _("Given with page numbers (`page=`, `ordering`, `q`); absent on cursor pages.")
        )
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = str(
                    _("Page number (from 1): page-number pagination with `count`. Without it, cursor pages.")
                )
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_query_description),
                "schema": {"type": "string"},
            }
        )
        return parameters


def encode_cursor(direction, key, encode_keyset):
    return ("p" if direction == "previous" else "n") + encode_keyset(key)


def decode_cursor(cursor):
    """("next" or "previous", key), key None when the cursor is not one of ours."""
    from dialogues.listing import decode_keyset

    if not cursor or cursor[0] not in "np":
        return "next", None
    return ("previous" if cursor[0] == "p" else "next"), decode_keyset(cursor[1:])
