"""Error responses: under /api/ always the API's documented JSON shape, `{"detail": "..."}`
(dialogues/api/schema.py), whatever failed before or after DRF had its say (an unknown or malformed
path, a body too large, a server error); the site's HTML pages elsewhere.

Wired in urls.py as handler400, handler403, handler404 and handler500.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request):
    return request.path.startswith(API_PREFIX)


def api_error(detail, status):
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        detail = _("The request body is too large: at most %(size)s.") % {
            "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        if is_api(request):
            return api_error(detail, 413)
        response = defaults.bad_request(request, exception)
        response.status_code = 413
        return response
    if is_api(request):
        return api_error(_("Bad request."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return api_error(_("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return api_error(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(_("A server error occurred."), 500)
    return defaults.server_error(request)
