"""What seminar listings and detail pages load (shared by pages, API and exports)."""

from django.db.models import Prefetch

from dialogues.publishing import PublishableQuerySet
from dialogues.querysets import country_codes, published_citations, published_sources, published_topics


class SeminarQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("dialogue_round__country").prefetch_related(
            Prefetch("countries", queryset=country_codes()),
            Prefetch("topics", queryset=published_topics()),
            published_sources(),
        )

    def for_detail(self):
        from dialogues.models import Organisation

        return self.for_listing().prefetch_related(
            Prefetch("organisers", queryset=Organisation.objects.published().order_by("name")),
            "recommendations",
            published_citations(),
        )
