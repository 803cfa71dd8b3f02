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
from .cached_content import CachedContentMixin


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
    template_name = "portal/country_detail.html"
    content_template = "portal/country_detail_content.html"
    context_object_name = "country"

    def get_queryset(self):
        return Country.objects.published().for_page()

    def get_content_context(self):
        country = self.object
        prefetch_related_objects([country], published_citations())  # its facts' footnotes
        story = statistics.story(
            f"country:{country.pk}",
            rounds=DialogueRound.objects.published().filter(country=country),
            seminars=Seminar.objects.published().filter(countries=country),
            projects=Project.objects.published().filter(countries=country),
            projects_count=partial(statistics.projects_in, country.pk),
        )
        known = aggregates.known_contribution(country=country)
        # their titles name the country; an undated round is neither the earliest nor the latest
        rounds = (
            DialogueRound.objects.published().filter(country=country, held_on__isnull=False).select_related("country")
        )
        agenda = list(country.dialogue_topics.all())
        return {
            "country": country,
            "story": story,
            "agenda": agenda,
            "timeline": story.timeline,
            "calls": Call.objects.published().for_listing().filter(country=country)[: statistics.STORY_LIMIT],
            "contribution": known,
            "contribution_chart": charts.contribution_by_year(
                _("Known EU contribution to %(country)s by year") % {"country": country.name}, known.by_year
            ),
            "topics_most": statistics.topics_raised_most_in(country, agenda),
            "concerns": concern_rows(Concern.objects.published().filter(country=country)),
            "latest_round": rounds.order_by("-held_on", "-pk").first(),
            "earliest_round": rounds.order_by("held_on", "pk").first(),
            "figures": FundingFigure.objects.published().for_listing().filter(country=country),
        }
