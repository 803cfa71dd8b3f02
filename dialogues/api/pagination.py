"""Pagination for every API listing: 50 records a page by default, `page_size` up to 500.

Page-number pagination, chosen for now and isolated so that a later change is one line per view:
the listings are ordered by the FilterSets' `ordering` (start date, amount: nullable keys) and, on
PostgreSQL, by search rank, and DRF's keyset `CursorPagination` cannot follow a nullable or computed
key (it would silently drop the rows where the key is NULL). A keyset listing of projects needs a
stable, non-null key (the id) and fewer sort options; `ProjectPagination` is the one class to swap.
Clients are told to follow the `next` and `previous` links rather than build page numbers, so that
such a change does not break them.
"""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class ListPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
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
    """Projects: the largest table, and the first to move to keyset pagination (see above)."""
