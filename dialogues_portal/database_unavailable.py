"""With the database down: a clear 503 with Retry-After (HTML for pages, the API's JSON error
shape under /api/), not a 500 that tells visitors and monitors nothing.

A database error in a view reaches `process_exception`. One raised by another middleware (an
editor's session is read before the view) has already been turned into a 500 response by Django
when it gets here: the `got_request_exception` signal marks the request, and the 500 is rewritten
in place, keeping the security headers the other middleware gave it.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from .errors import api_error, is_api

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNREACHABLE = (OperationalError, InterfaceError)


def unavailable_response(request):
    if is_api(request):
        response = api_error(_("The database is unavailable: please try again shortly."), 503)
    else:  # a template that reads nothing from the database, as 500.html
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Near the top of MIDDLEWARE, outside every middleware that may read the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unreachable", False) and response.status_code == 500:
            replacement = unavailable_response(request)
            response.status_code = 503
            response.content = replacement.content
            for header in ("Content-Type", "Retry-After"):
                response[header] = replacement[header]
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, UNREACHABLE):
            logger.error("The database does not answer (%s %s): %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None


@receiver(got_request_exception, dispatch_uid="portal-database-unreachable")
def note_database_unreachable(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
        request.database_unreachable = True
