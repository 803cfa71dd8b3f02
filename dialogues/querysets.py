"""What each listing and detail page loads, in one place: pages, API and exports share these.

Each method fixes the number of queries whatever the number of rows (tests assert it).
"""

from django.db.models import Prefetch

from .publishing import PublishableQuerySet

# Related records as `viewer` may see them: published ones for everyone (pages, exports, the
# public API), drafts too for a user who may change their model (the API shows those marked, so
# that an editor's GET-then-PUT keeps every relation). No viewer: published ones.


def published_sources(viewer=None):
    from .models import Source

    return Prefetch("sources", queryset=Source.objects.visible_to(viewer).order_by("title", "id"))


def country_codes(viewer=None):
    """Countries as most listings show them: code, name and link (published ones only)."""
    from .models import Country

    # the status: an API reference marks a draft for an editor (fields.ReferenceField)
    fields = ("id", "iso_code", "name", "slug", "publication_status")
    return Country.objects.visible_to(viewer).only(*fields).order_by("name")


def published_topics(viewer=None):
    from .models import Topic

    return Topic.objects.visible_to(viewer).only("id", "name", "slug", "publication_status").order_by("name")


class CountryQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self.prefetch_related(published_sources(viewer))

    def for_page(self, viewer=None):
        """What the country's page reads before its cached content: the content's own reads
        (the citations) are made only when it is rendered."""
        return self.prefetch_related(
            published_sources(viewer), Prefetch("dialogue_topics", queryset=published_topics(viewer))
        )

    def for_detail(self, viewer=None):
        return self.for_page(viewer).prefetch_related(published_citations())


class DialogueRoundQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self.select_related("country").prefetch_related(
            Prefetch("topics", queryset=published_topics(viewer)), published_sources(viewer)
        )

    def for_detail(self, viewer=None):
        from .models import ConcernEntry

        raised = ConcernEntry.objects.public().select_related("concern").order_by("concern__title", "pk")
        return self.for_listing(viewer).prefetch_related(
            published_citations(), Prefetch("concern_entries", queryset=raised, to_attr="public_concern_entries")
        )


class OrganisationQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self.select_related("country").prefetch_related(published_sources(viewer))

    for_detail = for_listing


class TopicQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self.prefetch_related(published_sources(viewer))

    for_detail = for_listing


class SourceQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self

    for_detail = for_listing


def published_citations(path="citations"):
    """A record's citations of single values, with their (published) sources; `path` reaches a
    related record's ("call__citations")."""
    from .models import Citation

    return Prefetch(
        path,
        queryset=Citation.objects.filter(source__publication_status="published").select_related("source"),
    )


class ConcernQuerySet(PublishableQuerySet):
    def public(self):
        """Published concerns of published countries: a concern's title and page name its country."""
        return self.published().filter(country__publication_status="published")

    def for_listing(self):
        return self.select_related("country").prefetch_related(
            Prefetch("topics", queryset=published_topics()), published_sources()
        )

    def for_detail(self):
        return self.for_listing()


class ConcernEntryQuerySet(PublishableQuerySet):
    def public(self):
        """Published entries of published concerns, at published rounds or at none."""
        return (
            self.published()
            .filter(concern__publication_status="published")
            .exclude(dialogue_round__publication_status="draft")
        )

    def for_story(self):
        """What a concern's timeline shows of each entry: its occasion, its sources."""
        return self.select_related("dialogue_round__country", "concern__country").prefetch_related(
            published_sources(), published_citations()
        )
