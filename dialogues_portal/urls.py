"""The portal's URLs. Public page URLs are a contract: keep them stable."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .health import healthz
from .views.favicon import FaviconView

# Under /api/ errors keep the API's JSON shape, whatever raised them (errors.py).
handler400 = "dialogues_portal.errors.bad_request"
handler403 = "dialogues_portal.errors.permission_denied"
handler404 = "dialogues_portal.errors.page_not_found"
handler500 = "dialogues_portal.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("dialogues_portal.api_urls")),
    path("", include("dialogues_portal.public_urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
