"""The REST API, version 1: the router for every resource and the endpoints spanning the apps.

Versioning and deprecation policy (docs/api.md): `/api/v1/` only grows: new resources, fields,
filters and optional parameters may be added; nothing is renamed, removed or changes meaning.
A breaking change comes as `/api/v2/`, and v1 then keeps running for at least twelve months,
its responses carrying `Deprecation` and `Sunset` headers from the day v2 is published.
"""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.reverse import reverse

from dialogues.api.views import (
    CountryViewSet,
    DialogueRoundViewSet,
    OrganisationViewSet,
    SourceViewSet,
    TopicViewSet,
)
from funding.api.views import CallViewSet, ProgrammeViewSet, ProjectViewSet
from revisions.api import RevisionViewSet
from seminars.api.views import SeminarViewSet

from .api.concerns import ConcernViewSet, MatrixView
from .api.views import CountrySummaryView, StatsView, TokenView

app_name = "api"  # names are "api:<resource>-list" and "api:<resource>-detail"


class PortalRootView(routers.APIRootView):
    """The EU–Central Asia human rights dialogues API, version 1. Documentation: /api/v1/docs/."""

    more = {
        "stats": "api:stats",
        "matrix": "api:matrix",
        "schema": "api:schema",
        "docs": "api:docs",
        "auth-token": "api:auth-token",
    }

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for key, view_name in self.more.items():
            response.data[key] = reverse(view_name, request=request, format=kwargs.get("format"))
        return response


class Router(routers.DefaultRouter):
    APIRootView = PortalRootView
    include_format_suffixes = False


router = Router()
router.register("countries", CountryViewSet, basename="country")
router.register("topics", TopicViewSet, basename="topic")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("sources", SourceViewSet, basename="source")
router.register("dialogue-rounds", DialogueRoundViewSet, basename="dialogueround")
router.register("seminars", SeminarViewSet, basename="seminar")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("calls", CallViewSet, basename="call")
router.register("projects", ProjectViewSet, basename="project")
router.register("concerns", ConcernViewSet, basename="concern")
router.register("revisions", RevisionViewSet, basename="revision")


class DocsView(SpectacularSwaggerSplitView):
    # The site's Content-Security-Policy forbids inline scripts: the split view loads its
    # initialisation from ?script, and this template gives its one <style> the CSP nonce.
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "EU–Central Asia Human Rights Dialogues API v1"


@csrf_exempt  # a write to an unknown path is a 404 too, not the CSRF failure page
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/: the API's JSON 404, not the public site's HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("matrix/", MatrixView.as_view(), name="matrix"),
    path("countries/<str:iso_code>/summary/", CountrySummaryView.as_view(), name="country-summary"),
    *router.urls,
    re_path(r"^.*$", not_found),
]
