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
from .cached_content import CachedContentMixin

LATEST = 5


class HomeView(CachedContentMixin, TemplateView):
    template_name = "portal/home.html"
    content_template = "portal/home_content.html"

    def get_content_context(self):
        countries = list(Country.objects.published().order_by("name"))
        overall = aggregates.known_contribution()
        # a project working in several countries counts in each, so the rows need not add up to the
        # overall total
        totals = aggregates.known_totals()
        per_country = {country.pk: totals.get(country.pk) for country in countries}
        latest = statistics.timeline(
            statistics.for_timeline(DialogueRound.objects.published())[:LATEST],
            statistics.for_timeline(Seminar.objects.published().filter(held_on__isnull=False))[:LATEST],
            statistics.for_timeline(Project.objects.published())[:LATEST],
        )
        latest = [entry for entry in reversed(latest) if entry.date][:LATEST]
        activity = statistics.activity_per_year()
        return {
            "countries": countries,
            "figures": statistics.key_figures(overall.total),
            "latest": latest,
            "contribution_by_country": charts.bar_chart(
                _("Known EU contribution by country"),
                [(country.name, [per_country[country.pk]]) for country in countries],
                [_("EU contribution")],
                display=eur,
                row_label=_("Country"),
            ),
            "contribution_by_year": charts.contribution_by_year(_("Known EU contribution by year"), overall.by_year),
            "activity_by_year": charts.bar_chart(
                _("Dialogue rounds and seminars per year"),
                charts.every_year([(year, [rounds, seminars]) for year, rounds, seminars in activity.years], 0),
                [_("Dialogue rounds"), _("Seminars")],
                row_label=_("Year"),
                note=undated_note(activity),
            ),
        }


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
