"""Requests refused before any view: a method the portal never uses (TRACE, CONNECT, WebDAV's...)
is a 405 everywhere, and a path holding a NUL byte names nothing (PostgreSQL refuses NUL in a
query, which was a 500): a 404, in the API's JSON shape under /api/ (errors.py). The admin's
autocomplete (every model's, Django's own view) reads its term unchecked: one holding a NUL byte
is a 400, where the changelists' search form refuses it itself."""

from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from .errors import api_error, is_api

# Every method some view of the portal answers; each view narrows it further (405 with its Allow).
USED_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in USED_METHODS:
            if is_api(request):
                response = api_error(_("Method “%(method)s” not allowed.") % {"method": request.method}, 405)
                response["Allow"] = ", ".join(USED_METHODS)
                return response
            return HttpResponseNotAllowed(USED_METHODS)
        if "\x00" in request.path:
            raise Http404  # handler404 answers: JSON under /api/, the HTML page elsewhere
        if request.path.endswith("/autocomplete/") and "\x00" in request.GET.get("term", ""):
            return HttpResponseBadRequest(_("A search cannot hold a NUL character."), content_type="text/plain")
        return self.get_response(request)
