"""What each listing and detail page loads, in one place: pages, API and exports share these.

Each method fixes the number of queries whatever the number of rows (tests assert it).
"""

from django.db.models import Prefetch

from .publishing import PublishableQuerySet


def published_sources():
    from .models import Source

    return Prefetch("sources", queryset=Source.objects.published().order_by("title"))


def country_codes():
    """Countries as most listings show them: code, name and link (published ones only)."""
    from .models import Country

    return Country.objects.published().only("id", "iso_code", "name", "slug").order_by("name")


def published_topics():
    from .models import Topic

    return Topic.objects.published().only("id", "name", "slug").order_by("name")


class CountryQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.prefetch_related(published_sources())

    def for_page(self):
        """What the country's page reads before its cached content: the content's own reads
        (the citations) are made only when it is rendered."""
        return self.prefetch_related(published_sources(), Prefetch("dialogue_topics", queryset=published_topics()))

    def for_detail(self):
        return self.for_page().prefetch_related(published_citations())


class DialogueRoundQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("country").prefetch_related(
            Prefetch("topics", queryset=published_topics()), published_sources()
        )

    def for_detail(self):
        from .models import ConcernEntry

        raised = ConcernEntry.objects.public().select_related("concern").order_by("concern__title", "pk")
        return self.for_listing().prefetch_related(
            published_citations(), Prefetch("concern_entries", queryset=raised, to_attr="public_concern_entries")
        )


class OrganisationQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("country").prefetch_related(published_sources())

    for_detail = for_listing


class TopicQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.prefetch_related(published_sources())

    for_detail = for_listing


class SourceQuerySet(PublishableQuerySet):
    def for_listing(self):
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
