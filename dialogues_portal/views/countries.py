"""The countries: an overview, and each country's whole story on one page."""

from functools import partial

from django.db.models import Count, prefetch_related_objects
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from dialogues.models import Concern, Country, DialogueRound
from dialogues.querysets import published_citations
from dialogues.tracker import concern_rows
from funding import aggregates
from funding.aggregates import project_counts
from funding.models import Call, FundingFigure, Project
from seminars.models import Seminar

from .. import charts, statistics
from .cached_content import CachedContentMixin, Section


def counts_by_country(queryset, country_path):
    rows = queryset.order_by().values_list(country_path).annotate(n=Count("pk", distinct=True))
    return dict(rows)


class CountryListView(CachedContentMixin, TemplateView):
    template_name = "portal/country_list.html"
    content_template = "portal/country_list_content.html"

    def get_content_context(self):
        countries = Country.objects.published().for_listing().order_by("name")
        rounds = counts_by_country(DialogueRound.objects.published(), "country")
        seminars = counts_by_country(Seminar.objects.published(), "countries")
        projects = {scope: n for (scope, topic), n in project_counts().items() if topic is None}
        rows = [
            (country, rounds.get(country.pk, 0), seminars.get(country.pk, 0), projects.get(country.pk, 0))
            for country in countries
        ]
        return {"countries": countries, "rows": rows}


class CountryDetailView(CachedContentMixin, DetailView):
    """A country's story. Its sections are stored apart (cached_content.py): a project's edit
    renders the facts, timeline, funding and topics again, not the agenda and the concerns."""

    template_name = "portal/country_detail.html"
    context_object_name = "country"
    content_sections = (
        Section("facts", "portal/country/facts.html", "facts_context"),
        Section("concerns", "portal/country/concerns.html", "concerns_context"),
        Section("timeline", "portal/country/timeline.html", "timeline_context"),
        Section("funding", "portal/country/funding.html", "funding_context"),
        Section("topics", "portal/country/topics.html", "topics_context"),
        Section("footer", "portal/country/footer.html"),
    )

    def get_queryset(self):
        return Country.objects.published().for_page()

    def _records(self):
        country = self.object
        return {
            "rounds": DialogueRound.objects.published().filter(country=country),
            "seminars": Seminar.objects.published().filter(countries=country),
            "projects_count": partial(statistics.projects_in, country.pk),
        }

    def facts_context(self):
        country = self.object
        prefetch_related_objects([country], published_citations())  # its facts' footnotes
        # their titles name the country; an undated round is neither the earliest nor the latest
        rounds = (
            DialogueRound.objects.published().filter(country=country, held_on__isnull=False).select_related("country")
        )
        return {
            "counts": statistics.story_counts(f"country:{country.pk}", **self._records()),
            "latest_round": rounds.order_by("-held_on", "-pk").first(),
            "earliest_round": rounds.order_by("held_on", "pk").first(),
        }

    def concerns_context(self):
        country = self.object
        return {
            "agenda": list(country.dialogue_topics.all()),
            "concerns": concern_rows(Concern.objects.published().filter(country=country)),
        }

    def timeline_context(self):
        country = self.object
        story = statistics.story(
            f"country:{country.pk}", projects=Project.objects.published().filter(countries=country), **self._records()
        )
        return {"story": story, "timeline": story.timeline}

    def funding_context(self):
        country = self.object
        known = aggregates.known_contribution(country=country)
        return {
            "contribution": known,
            "contribution_chart": charts.contribution_by_year(
                _("Known EU contribution to %(country)s by year") % {"country": country.name}, known.by_year
            ),
            # what the list shows: no places, sources or citations (Call.for_listing's prefetches)
            "calls": Call.objects.published()
            .select_related("programme")
            .filter(country=country)[: statistics.STORY_LIMIT],
            "figures": FundingFigure.objects.published().for_listing().filter(country=country),
        }

    def topics_context(self):
        country = self.object
        return {"topics_most": statistics.topics_raised_most_in(country, list(country.dialogue_topics.all()))}
