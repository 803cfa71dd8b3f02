"""The follow-up tracker's pages: concerns listed and filtered, one concern's whole story, a
country's concerns by status, and the country x topic matrix.

What each page says of a concern's state is derived from its history by dialogues/tracker.py; the
EU contribution of the projects that work on it is counted by funding/aggregates.py.
"""

import csv

from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from dialogues.exports import BYTE_ORDER_MARK
from dialogues.filtersets import ConcernFilterSet
from dialogues.listing import FilteredListView
from dialogues.models import Concern, ConcernStatus, Country
from dialogues.querysets import published_sources
from dialogues.spreadsheet_text import neutralised_rows
from dialogues.tracker import concern_states
from funding.aggregates import contribution_of_projects
from seminars.models import Seminar

from .. import matrix


def as_of_date(request):
    """The `as_of` date of the request, validated by the concerns' FilterSet; None: today."""
    form = ConcernFilterSet({"as_of": request.GET.get("as_of", "")}).form
    if not form.is_valid():
        return None, form.errors.get("as_of")
    return form.cleaned_data.get("as_of"), None


class ConcernListView(FilteredListView):
    model = Concern
    filterset_class = ConcernFilterSet
    template_name = "portal/concern_list.html"

    def get_queryset(self):
        return Concern.objects.public().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = getattr(self.filterset.form, "cleaned_data", {}).get("as_of") if context["filter_is_valid"] else None
        states = concern_states(context["object_list"], as_of=as_of, with_entries=False)
        context["rows"] = [(concern, states[concern.pk]) for concern in context["object_list"]]
        context["as_of"] = as_of
        return context


class ConcernDetailView(DetailView):
    """A concern's story: every step with its date, status, who said it and its source; the
    seminars that discussed it and the projects that work on it. `?as_of=` reads it at a date."""

    template_name = "portal/concern_detail.html"
    public_response_cache = True
    query_parameters = ("as_of",)
    slug_field = slug_url_kwarg = "slug"

    def get_queryset(self):
        if self.request.user.has_perm("dialogues.change_concern"):  # editors preview drafts
            return Concern.objects.all().for_detail()
        return Concern.objects.public().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        concern = self.object
        as_of, error = as_of_date(self.request)
        state = concern_states([concern], as_of=as_of)[concern.pk]
        projects = list(
            concern.projects.published().for_listing().select_related("call__parent").order_by("title", "pk")
        )
        context.update(
            state=state,
            as_of=as_of,
            as_of_error=error,
            projects=projects,
            contribution=contribution_of_projects(projects),
            seminars=Seminar.objects.published()
            .filter(Q(concerns=concern) | Q(recommendations__concerns=concern))
            .distinct()
            .order_by("held_on", "pk"),
            recommendations=concern.recommendations.filter(seminar__publication_status="published")
            .select_related("seminar", "partner_response_source")
            .order_by("seminar__held_on", "position"),
        )
        return context


class CountryConcernsView(DetailView):
    """Every concern of a country, grouped by current status, each with its status strip."""

    template_name = "portal/country_concerns.html"
    public_response_cache = True
    query_parameters = ("as_of",)
    context_object_name = "country"

    def get_queryset(self):
        return Country.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of, error = as_of_date(self.request)
        concerns = list(
            Concern.objects.published()
            .filter(country=self.object)
            .prefetch_related(Prefetch("sources", queryset=published_sources().queryset))
            .select_related("country")
        )
        states = concern_states(concerns, as_of=as_of, with_entries=False)
        groups = {status: [] for status in ConcernStatus.values}
        unrecorded = []
        for concern in concerns:
            state = states[concern.pk]
            (groups[state.current_status] if state.current_status else unrecorded).append((concern, state))
        context.update(
            as_of=as_of,
            as_of_error=error,
            groups=[(ConcernStatus(status).label, rows) for status, rows in groups.items() if rows],
            unrecorded=unrecorded,
            stagnant=sum(1 for state in states.values() if state.stagnant),
        )
        return context


class MatrixView(TemplateView):
    """Country x topic: how often the topic was raised, its concerns' latest status, the known
    EU funding of its projects; a heat map with its table, each cell linking to its listing."""

    template_name = "portal/matrix.html"
    public_response_cache = True
    query_parameters = ("measure",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.request.GET.get("measure") or "rounds"
        if measure not in matrix.MEASURES:
            measure = "rounds"
        table = matrix.country_topic_matrix()
        measures = [("rounds", _("Rounds")), ("status", _("Concerns")), ("funding", _("Funding"))]
        context.update(table=table, measure=measure, measures=measures, heat_map=matrix.heat_map(table, measure))
        return context


def matrix_csv(request):
    """The matrix's table as CSV: one row per country and topic with something in it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="matrix.csv"'
    response.write(BYTE_ORDER_MARK)  # spreadsheets then read UTF-8
    writer = csv.writer(response)
    writer.writerow(matrix.CSV_COLUMNS)
    writer.writerows(neutralised_rows(matrix.csv_rows(matrix.country_topic_matrix())))
    return response
