"""What funding listings and detail pages load (shared by pages, API and exports)."""

from django.db.models import Prefetch

from dialogues.publishing import PublishableQuerySet
from dialogues.querysets import country_codes, published_citations, published_sources, published_topics


def places():
    from dialogues.models import Place

    # Place.__str__ names the country: a place in a country that is not public is not shown
    return Place.objects.filter(country__publication_status="published").select_related("country").order_by("name")


class ProgrammeQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self.select_related("predecessor").prefetch_related(
            Prefetch("countries", queryset=country_codes(viewer)), published_sources(viewer)
        )

    def for_detail(self, viewer=None):
        return self.for_listing(viewer).prefetch_related(published_citations())


class CallQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        # the citations too: a call's summary (includes/call_summary.html) footnotes its values
        return self.select_related("programme", "country").prefetch_related(
            Prefetch("places", queryset=places()), published_sources(viewer), published_citations()
        )

    for_detail = for_listing


class ProjectQuerySet(PublishableQuerySet):
    def for_listing(self, viewer=None):
        return self.select_related("programme", "call").prefetch_related(
            Prefetch("countries", queryset=country_codes(viewer)),
            Prefetch("topics", queryset=published_topics(viewer)),
            published_sources(viewer),
        )

    def for_table(self):
        """What the public table of projects shows (funding/project_list.html), nothing more."""
        from .models import Call

        # the call by prefetch, not by join: a join would hash the whole calls table whenever the
        # planner expects many rows (a search's ranked candidates), however short the page
        return (
            self.select_related("programme")
            .only(
                *("id", "title", "starts_on", "starts_on_precision", "eu_contribution_eur", "call_id", "source_kind"),
                *("programme__publication_status", "programme__slug", "programme__name", "programme__acronym"),
            )
            .prefetch_related(
                Prefetch("countries", queryset=country_codes()),
                Prefetch("call", queryset=Call.objects.only("publication_status", "total_amount_eur")),
            )
        )

    def for_detail(self, viewer=None):
        return (
            self.for_listing(viewer)
            .select_related("implementing_organisation")
            .prefetch_related(
                Prefetch("places", queryset=places()),
                published_citations(),
                published_citations("call__citations"),  # the call's summary footnotes its values
            )
        )


class FundingFigureQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("country", "programme").prefetch_related(published_sources())

    for_detail = for_listing
