"""/favicon.ico: browsers, feed readers and the admin ask for it by that name, whatever a page links."""

from django.templatetags.static import static
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    permanent = False  # a temporary redirect: the static file's name changes with its content (hashed)

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")
