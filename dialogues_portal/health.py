"""`/healthz`: is this app server able to answer? It is if its database answers (503 otherwise).

The cache's state is reported too, but does not fail the check: without Redis the portal answers
from the database (dialogues_portal/cache_backend.py), and a proxy should keep sending traffic.
"""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .cache_backend import cache_answers


@never_cache
@require_safe
def healthz(request):
    cache_state = "ok" if cache_answers(cache) else "unreachable"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable", "cache": cache_state}, status=503)
    status = "ok" if cache_state == "ok" else "degraded"  # slower, but every page answers
    return JsonResponse({"status": status, "database": "ok", "cache": cache_state})
