"""The API's filter backend: django-filter's, with the FilterSets of dialogues/filtersets.py."""

from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend; a request that names no filter (a first page, a page by cursor)
    lists the queryset as it is, without building the FilterSet and its form (a deep copy of each
    filter and form field: about a millisecond of every listing). The same rows: no filter changes
    them for a value not given; a FilterSet that filters as a whole (its own `filter_queryset`,
    e.g. the concerns' state as of today) is always built (tests/test_api_filter_backend.py).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if (
            filterset_class is not None
            and filterset_class.filter_queryset is BaseFilterSet.filter_queryset
            and not filterset_class.base_filters.keys() & request.query_params.keys()
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
