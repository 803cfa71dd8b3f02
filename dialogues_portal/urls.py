"""The portal's URLs. Public page URLs are a contract: keep them stable.

The public pages live under their language, /en/... and /ru/... (i18n_patterns), so that a
Russian page can be shared as such; an unprefixed page URL redirects (302) to the visitor's
language (cookie, then Accept-Language, then English: LocaleMiddleware). The API, the admin, the
health check, the sitemap (which lists both languages) and robots.txt stay unprefixed.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from .health import healthz
from .views import seo
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
    path("sitemap.xml", sitemap, {"sitemaps": seo.SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots-txt"),
    *i18n_patterns(path("", include("dialogues_portal.public_urls"))),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
