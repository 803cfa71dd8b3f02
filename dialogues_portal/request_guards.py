"""Requests refused before any view: a path holding a NUL byte names nothing (PostgreSQL refuses
NUL in a query, which was a 500): a 404, in the API's JSON shape under /api/ (errors.py)."""

from django.http import Http404


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404  # handler404 answers: JSON under /api/, the HTML page elsewhere
        return self.get_response(request)
