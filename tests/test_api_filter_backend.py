"""The API's filter backend (dialogues/api/filtering.py) skips the FilterSet of a request that names
no filter: for every listing of the router, that gives the very query the FilterSet gives, for the
public and for an editor; a request naming a filter still goes through it (and its errors)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from dialogues.api.filtering import FilterBackend
from dialogues_portal.api_urls import router

LISTINGS = [
    (prefix, viewset)
    for prefix, viewset, _basename in router.registry
    if getattr(viewset, "filterset_class", None) is not None
]
# no filter named: a first page, a page by number or cursor, a size, a parameter nobody reads
NO_FILTER = ["", "?page=2", "?cursor=n123", "?page_size=10", "?unknown=1"]


def view_for(viewset, query, user):
    request = Request(APIRequestFactory().get(f"/api/v1/x/{query}"))
    request.user = user
    view = viewset(action="list", request=request, format_kwarg=None, kwargs={})
    return view, request


@pytest.mark.parametrize("query", NO_FILTER)
@pytest.mark.parametrize(("prefix", "viewset"), LISTINGS, ids=[prefix for prefix, _viewset in LISTINGS])
@pytest.mark.parametrize("who", ["public", "editor"])
def test_a_request_naming_no_filter_gives_the_query_the_filterset_gives(db, editor, prefix, viewset, query, who):
    view, request = view_for(viewset, query, AnonymousUser() if who == "public" else editor)
    queryset = view.get_queryset()
    skipped = FilterBackend().filter_queryset(request, queryset, view)
    filtered = DjangoFilterBackend().filter_queryset(request, queryset, view)
    assert str(skipped.query) == str(filtered.query)
    assert skipped.query.order_by == filtered.query.order_by


def test_the_filterset_is_not_built_for_a_plain_listing_but_is_for_one_that_filters_as_a_whole(db):
    projects = dict(LISTINGS)["projects"]
    view, request = view_for(projects, "?cursor=n123", AnonymousUser())
    queryset = view.get_queryset()
    assert FilterBackend().filter_queryset(request, queryset, view) is queryset
    concerns = dict(LISTINGS)["concerns"]
    view, request = view_for(concerns, "", AnonymousUser())
    queryset = view.get_queryset()
    assert FilterBackend().filter_queryset(request, queryset, view) is not queryset  # as of today


def test_a_request_naming_a_filter_goes_through_the_filterset(db, api):
    assert api.get("/api/v1/projects/?country=QQ").status_code == 400  # its errors too
    assert api.get("/api/v1/projects/?year_from=2099").json()["results"] == []
