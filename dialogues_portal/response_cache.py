"""Whole public pages and API lists, served again to visitors until the next edit.

A listing, search, record or overview page, or an API list, is the same for every visitor until a
record changes, and rendering it (filters, forms, templates, serialisation) costs far more than
reading it back. So the response of a view marked `public_response_cache` is stored in the
aggregate cache (dialogues/cache.py: dropped by an edit of what it read; Redis when REDIS_URL is set) and served
again to the next visitor who asks for the same URL in the same language, on the same host, for
the same media type, with the same parameters that the view knows (unknown ones: not stored).
Editors see their change at once: a save drops every page that read its kind of record.

Only requests that are certainly anonymous take part: GET, no session cookie, no Authorization
header (an editor's drafts never enter, and nobody is served another's page). Only complete,
successful, public responses are stored (200, not streamed, no cookie, not private). The language
is in the path (/en/, /ru/), and in the key too. A page's CSRF token, which would differ per
visitor, is stored as a placeholder and filled with the visitor's own when the page is served (no
public page holds one since the language switcher became links).

PUBLIC_RESPONSE_CACHE=False turns it off (the benchmark measures the rendered path that way).
"""

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

from dialogues.cache import GENERATION_KEYS, compute_stamped, generations, is_current

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"csrf-token-placeholder"
CSRF_STORED = b'name="csrfmiddlewaretoken" value="' + CSRF_PLACEHOLDER + b'"'
MAX_STORED_BYTES = 1_000_000  # a 500-row API page fits; larger bodies are rendered each time
HIT_HEADER = "X-Portal-Cache"  # "hit" or "miss": tells operators (and tests) which path served


def caches_responses(view_func):
    """Whether the resolved view is marked: `public_response_cache = True` on a class-based view,
    or the set of actions ("list") on a DRF viewset."""
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    marked = getattr(view_class, "public_response_cache", False)
    actions = getattr(view_func, "actions", None)
    if actions is None or isinstance(marked, bool):
        return bool(marked)
    return actions.get("get") in marked


def certainly_anonymous(request):
    """No session and no credentials: the visitor sees only published records (no query needed)."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def known_parameters(view_func):
    """The query parameters the view reads: its FilterSet's filters, its pagination's, and the
    ones it declares itself (`query_parameters`)."""
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    names = set(getattr(view_class, "query_parameters", ()))
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is not None:
        names.update(filterset_class.base_filters)
    names.add(getattr(view_class, "page_kwarg", None))  # a page's ListView
    pagination = getattr(view_class, "pagination_class", None)  # an API list's
    for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
        names.add(getattr(pagination, attribute, None))
    return names - {None}


def takes_part(request, view_func):
    """A request carrying a parameter its view does not know is neither served nor stored: each
    junk parameter would store another copy of the same page (tens of KB for an hour), and the
    copy's links, which keep the query string, would carry it to every later visitor."""
    known = known_parameters(view_func)
    return all(name in known for name in request.GET)


def response_key(request, view_func):
    query = urlencode(sorted(request.GET.lists()), doseq=True)  # the same parameters, the same key
    parts = [
        request.scheme,
        request.get_host(),
        f"{request.path}?{query}",
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        # the API answers JSON or its browsable HTML as the Accept header asks; pages ignore it
        request.META.get("HTTP_ACCEPT", "") if is_api(view_func) else "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"portal:response:{digest}"


def is_api(view_func):
    return hasattr(view_func, "cls")  # DRF's views


def storable(response, view_func):
    content_type = response.get("Content-Type", "")
    # The API's JSON only: its browsable HTML shows the visitor's own forms and login state.
    media_type = "application/json" if is_api(view_func) else "text/html"
    return (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= MAX_STORED_BYTES
        and not response.cookies
        and content_type.startswith(media_type)
        and "nonce-" not in response.get("Content-Security-Policy", "")  # a reused nonce voids the CSP
        and not any(word in response.get("Cache-Control", "") for word in ("private", "no-store"))
    )


class PublicResponseCacheMiddleware:
    """Serves and stores the responses of marked views (see the module's docstring). Last in
    MIDDLEWARE: what the others add to a response (cookies, Vary, Content-Language, security
    headers) is added to a served copy as to a rendered one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view_func = settings.PUBLIC_RESPONSE_CACHE and certainly_anonymous(request) and marked_view(request)
        if not view_func or not takes_part(request, view_func):
            return self.get_response(request)
        key = response_key(request, view_func)
        found = cache.get_many([key, *GENERATION_KEYS])  # one round trip
        current, stored = generations(found), found.get(key)
        if stored is not None and is_current(stored[0], current) and within_rate_limits(view_func, request):
            return served(request, *stored[1:])
        # read from the primary (db_router.py), noting the areas read: an edit of another leaves it
        stamped, response = compute_stamped(lambda: self.get_response(request), current)
        if storable(response, view_func):
            headers = dict(response.items())
            content = CSRF_INPUT.sub(rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", response.content)
            cache.set(key, (stamped, headers, content), settings.AGGREGATE_CACHE_TIMEOUT)
            response[HIT_HEADER] = "miss"
        return response


def marked_view(request):
    """The view the request resolves to, if it is marked; else None."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return match.func if caches_responses(match.func) else None


def within_rate_limits(view_func, request):
    """An API view's throttles (the anonymous rate limit) count a served copy as a request. Over
    the limit, the request goes on to the view, which answers 429 as usual."""
    if not is_api(view_func):
        return True
    view = view_func.cls(**getattr(view_func, "initkwargs", {}))
    return all(throttle.allow_request(request, view) for throttle in view.get_throttles())


def served(request, headers, content):
    if CSRF_STORED in content:
        token = get_token(request).encode()  # the visitor's own; the CSRF middleware sets its cookie
        content = content.replace(CSRF_STORED, CSRF_STORED.replace(CSRF_PLACEHOLDER, token))
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response
