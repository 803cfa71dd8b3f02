"""Pages of aggregates (the home page, a country's or a topic's story, the overviews) render their
main content once per language and record, and serve it from the aggregate cache until an edit
of what it read (dialogues/cache.py, so an editor sees the change at once). Computing them costs
tens of queries and thousands of template nodes at a million projects; serving them costs a
cache read. The page around the content (header, language switcher and its CSRF token) stays
per request.
"""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from dialogues.cache import cached, depends_on


class CachedContentMixin:
    public_response_cache = True  # the whole page, for visitors (dialogues_portal/response_cache.py)
    content_template = None  # rendered with get_content_context(): it must not read the request

    def get_content_context(self):
        raise NotImplementedError

    def content_key(self):
        record = getattr(self, "object", None)
        return f"{type(self).__name__}:{record.pk if record is not None else ''}"

    def render_content(self):
        record = getattr(self, "object", None)
        if record is not None:
            depends_on(type(record))  # fetched before: its own fields are not read by the content's SQL
        return render_to_string(self.content_template, self.get_content_context())

    def content(self):
        return cached(f"page-content:{get_language()}:{self.content_key()}", self.render_content)

    def get_context_data(self, **kwargs):
        return super().get_context_data(content=self.content(), **kwargs)

    @classmethod
    def store_content(cls, record=None):
        """Render and store the content in the active language, as its next request would, unless
        it is stored and current (dialogues_portal/content_refresh.py calls it after an edit)."""
        view = cls()
        if record is not None:
            view.object = record
        view.content()
