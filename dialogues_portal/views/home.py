"""The home page: what the portal tracks, key figures, latest activity, charts, the five countries."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from dialogues.models import Country, DialogueRound
from dialogues.templatetags.portal import eur
from funding import aggregates
from funding.models import Project
from seminars.models import Seminar

from .. import charts, statistics
from .cached_content import CachedContentMixin, Section

LATEST = 5


class HomeView(CachedContentMixin, TemplateView):
    """In sections stored apart (cached_content.py): a project's edit renders the figures, the
    latest activity and the charts again, not the countries."""

    template_name = "portal/home.html"
    content_sections = (
        Section("intro", "portal/home/intro.html"),
        Section("figures", "portal/home/figures.html", "figures_context"),
        Section("countries", "portal/home/countries.html", "countries_context"),
        Section("latest", "portal/home/latest.html", "latest_context"),
        Section("charts", "portal/home/charts.html", "charts_context"),
    )

    def figures_context(self):
        return {"figures": statistics.key_figures(aggregates.known_totals().get(None))}

    def countries_context(self):
        return {"countries": list(Country.objects.published().order_by("name"))}

    def latest_context(self):
        latest = statistics.latest_timeline(
            "home",
            rounds=DialogueRound.objects.published(),
            seminars=Seminar.objects.published().filter(held_on__isnull=False),
            projects=Project.objects.published(),
            limit=LATEST,
        )
        return {"latest": [entry for entry in reversed(latest) if entry.date][:LATEST]}

    def charts_context(self):
        # two parts stored apart in turn: a project's edit draws the contribution charts again, a
        # round's or a seminar's the activity chart
        return {
            "contribution_charts": self.section_content(CONTRIBUTION_CHARTS),
            "activity_chart": self.section_content(ACTIVITY_CHART),
        }

    def contribution_charts_context(self):
        countries = list(Country.objects.published().order_by("name"))
        # a project working in several countries counts in each, so the rows need not add up to the
        # overall total
        totals = aggregates.known_totals()
        return {
            "contribution_by_country": charts.bar_chart(
                _("Known EU contribution by country"),
                [(country.name, [totals.get(country.pk)]) for country in countries],
                [_("EU contribution")],
                display=eur,
                row_label=_("Country"),
            ),
            "contribution_by_year": charts.contribution_by_year(
                _("Known EU contribution by year"), aggregates.known_by_year()
            ),
        }

    def activity_chart_context(self):
        activity = statistics.activity_per_year()
        return {
            "activity_by_year": charts.bar_chart(
                _("Dialogue rounds and seminars per year"),
                charts.every_year([(year, [rounds, seminars]) for year, rounds, seminars in activity.years], 0),
                [_("Dialogue rounds"), _("Seminars")],
                row_label=_("Year"),
                note=undated_note(activity),
            ),
        }


CONTRIBUTION_CHARTS = Section(
    "contribution-charts", "portal/home/contribution_charts.html", "contribution_charts_context"
)
ACTIVITY_CHART = Section("activity-chart", "portal/home/activity_chart.html", "activity_chart_context")


def undated_note(activity):
    """What the per-year chart leaves out: "1 seminar without a date is not shown."."""
    notes = []
    if activity.undated_rounds:
        notes.append(
            ngettext(
                "%(count)s dialogue round without a date is not shown.",
                "%(count)s dialogue rounds without a date are not shown.",
                activity.undated_rounds,
            )
            % {"count": activity.undated_rounds}
        )
    if activity.undated_seminars:
        notes.append(
            ngettext(
                "%(count)s seminar without a date is not shown.",
                "%(count)s seminars without a date are not shown.",
                activity.undated_seminars,
            )
            % {"count": activity.undated_seminars}
        )
    return " ".join(notes)
