"""What seminar listings and detail pages load (shared by pages, API and exports)."""

from django.db.models import Prefetch

from dialogues.publishing import PublishableQuerySet
from dialogues.querysets import country_codes, published_citations, published_sources, published_topics


class SeminarQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self.select_related("dialogue_round__country").prefetch_related(
            Prefetch("countries", queryset=country_codes(viewer)),
            Prefetch("topics", queryset=published_topics(viewer)),
            published_sources(viewer),
        )

    def for_detail(self, viewer=None):
        from dialogues.models import Organisation

        return self.for_listing(viewer).prefetch_related(
            Prefetch("organisers", queryset=Organisation.objects.visible_to(viewer).order_by("name")),
            "recommendations",
            published_citations(),
        )
