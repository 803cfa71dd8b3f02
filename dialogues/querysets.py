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

    def for_detail(self):
        return self.prefetch_related(published_sources(), Prefetch("dialogue_topics", queryset=published_topics()))


class DialogueRoundQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("country").prefetch_related(
            Prefetch("topics", queryset=published_topics()), published_sources()
        )

    def for_detail(self):
        return self.for_listing()


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
