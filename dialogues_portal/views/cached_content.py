"""Pages of aggregates (the home page, a country's or a topic's story, the overviews) render their
main content once per language and record, and serve it from the aggregate cache until an edit
of what it read (dialogues/cache.py, so an editor sees the change at once). Computing them costs
tens of queries and thousands of template nodes at a million projects; serving them costs a
cache read. The page around the content (header, language switcher and its CSRF token) stays
per request.

A page may be made of sections (`content_sections`), each stored on its own with what it read,
so an edit renders again only the sections that read its kind of record: a project's edit leaves
a country's concerns and agenda stored. The whole content is stored too (one read when nothing
changed), made of the stored sections. Each section's context method computes every value the
section shows, inside the section: a value computed for one section and reused by another would
leave the second's record of what it read short, and its stored HTML stale after an edit. A
section may be made of parts stored apart in turn, its context method returning their
`section_content`: what a part read counts for the section too (dialogues/cache.py), so an edit
renders the section again from its stored parts and the part that read the record.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dialogues.cache import cached, depends_on


@dataclass(frozen=True)
class Section:
    """A part of a page's content stored apart: `template` rendered with what the view's
    `context` method returns, beside the page's record (under the view's context_object_name)."""

    name: str
    template: str
    context: str | None = None  # the view's method; None: the record alone


class CachedContentMixin:
    public_response_cache = True  # the whole page, for visitors (dialogues_portal/response_cache.py)
    content_template = None  # rendered with get_content_context(): it must not read the request
    content_sections = ()  # or Sections, in the page's order (see the module's docstring)

    def get_content_context(self):
        raise NotImplementedError

    def content_key(self):
        record = getattr(self, "object", None)
        return f"{type(self).__name__}:{record.pk if record is not None else ''}"

    def _depends_on_record(self):
        record = getattr(self, "object", None)
        if record is not None:
            depends_on(type(record))  # fetched before: its own fields are not read by the content's SQL
        return record

    def render_content(self):
        if self.content_sections:
            return mark_safe("".join(self.section_content(section) for section in self.content_sections))
        self._depends_on_record()
        return render_to_string(self.content_template, self.get_content_context())

    def section_content(self, section):
        key = f"page-content:{get_language()}:{self.content_key()}:{section.name}"
        return mark_safe(cached(key, lambda: self.render_section(section)))

    def render_section(self, section):
        record = self._depends_on_record()
        context = {} if record is None else {self.context_object_name: record}
        if section.context is not None:
            context.update(getattr(self, section.context)())
        return render_to_string(section.template, context)

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
