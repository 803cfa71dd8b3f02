"""The follow-up tracker in the API: concerns with their history and derived state, and the
country x topic matrix. Read-only (editors record concerns in the admin); the same filters as
the /concerns/ page, `as_of` included; published records only, for everyone.

The derived state (current status, rounds raised, stagnation) comes from dialogues/tracker.py,
the projects' contribution from funding/aggregates.py, the matrix from dialogues_portal/matrix.py:
the page and the API read the same figures.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from dialogues.api.pagination import ListPagination
from dialogues.api.schema import BAD_FILTER, READ_ERRORS
from dialogues.filtersets import ConcernFilterSet
from dialogues.models import Concern, ConcernStatus, Voice
from dialogues.tracker import concern_states
from funding.aggregates import contribution_of_projects

from .. import matrix

EXAMPLE_NOTE = "An example: the values are invented and describe no real record."


def link(request, view_name, **kwargs):
    return reverse(view_name, kwargs=kwargs, request=request)


def partial(date):
    return None if date is None else {"date": date.isoformat(), "precision": date.precision}


class ConcernSerializer(serializers.Serializer):
    """A concern and its derived state, as of `as_of` (today when absent)."""

    slug = serializers.SlugField()
    url = serializers.URLField()
    web_url = serializers.URLField(help_text=_("The concern's page on the portal."))
    title = serializers.CharField()
    country = serializers.DictField(help_text=_("{code, name, url}"))
    topics = serializers.ListField(child=serializers.DictField(), help_text=_("[{slug, name, url}]"))
    current_status = serializers.ChoiceField(
        choices=ConcernStatus.choices,
        allow_blank=True,
        help_text=_("The status of the latest entry; blank without one."),
    )
    current_status_asserted_by = serializers.ChoiceField(choices=Voice.choices, allow_blank=True)
    raised_rounds = serializers.IntegerField(help_text=_("Rounds with an entry other than 'not mentioned'."))
    raised_since = serializers.IntegerField(allow_null=True)
    stagnant = serializers.BooleanField(
        help_text=_("The same open status over the country's last three rounds or more, up to the latest.")
    )
    as_of = serializers.DateField(allow_null=True)

    def to_representation(self, concern):
        request, state = self.context["request"], self.context["states"][concern.pk]
        current = state.current
        return {
            "slug": concern.slug,
            "url": link(request, "api:concern-detail", slug=concern.slug),
            "web_url": request.build_absolute_uri(concern.get_absolute_url()),
            "title": concern.title,
            "country": {
                "code": concern.country.iso_code,
                "name": concern.country.name,
                "url": link(request, "api:country-detail", iso_code=concern.country.iso_code),
            },
            "topics": [
                {"slug": t.slug, "name": t.name, "url": link(request, "api:topic-detail", slug=t.slug)}
                for t in concern.topics.all()
            ],
            "current_status": current.status if current else "",
            "current_status_asserted_by": current.asserted_by if current else "",
            "raised_rounds": state.raised_rounds,
            "raised_since": state.raised_since,
            "stagnant": state.stagnant,
            "as_of": self.context.get("as_of").isoformat() if self.context.get("as_of") else None,
        }


class ConcernDetailSerializer(ConcernSerializer):
    history = serializers.ListField(child=serializers.DictField(), help_text=_("The entries, oldest first."))
    recommendations = serializers.ListField(child=serializers.DictField())
    projects = serializers.ListField(child=serializers.DictField())
    known_eu_contribution = serializers.DictField(
        help_text=_(
            "Of the linked projects: their stated amounts, or a package's stated total when every project of "
            "the package is linked; never counted twice; null when nothing is known."
        )
    )
    sources = serializers.ListField(child=serializers.DictField())

    def to_representation(self, concern):
        data = super().to_representation(concern)
        request, state = self.context["request"], self.context["states"][concern.pk]
        projects = self.context["projects"]
        contribution = contribution_of_projects(projects)
        data.update(
            history=[self.entry(request, entry) for entry in state.entries],
            recommendations=[
                {
                    "text": r.text,
                    "seminar": {
                        "id": r.seminar_id,
                        "title": r.seminar.title,
                        "url": link(request, "api:seminar-detail", pk=r.seminar_id),
                    },
                    "partner_response": r.partner_response or None,
                    "partner_response_source": source(request, r.partner_response_source)
                    if r.partner_response_source
                    else None,
                }
                for r in self.context["recommendations"]
            ],
            projects=[
                {
                    "id": p.pk,
                    "title": p.title,
                    "url": link(request, "api:project-detail", pk=p.pk),
                    "eu_contribution_eur": None if p.eu_contribution_eur is None else f"{p.eu_contribution_eur:.2f}",
                }
                for p in projects
            ],
            known_eu_contribution={
                "currency": "EUR",
                "total": None if contribution.total is None else f"{contribution.total:.2f}",
                "packages_counted": contribution.packages_counted,
                "projects_counted": contribution.projects_counted,
                "projects_amount_unknown": contribution.projects_amount_unknown,
            },
            sources=[source(request, s) for s in concern.sources.all()],
        )
        return data

    @staticmethod
    def entry(request, entry):
        occasion = entry.dialogue_round
        return {
            "date": partial(entry.date),
            "status": entry.status,
            "asserted_by": entry.asserted_by,
            "statement": entry.statement,
            "occasion": {
                "kind": "round" if occasion else "statement",
                "title": str(occasion) if occasion else entry.occasion,
                "dialogue_round": None
                if occasion is None
                else {
                    "id": occasion.pk,
                    "url": link(request, "api:dialogueround-detail", pk=occasion.pk),
                    "series": occasion.series,
                    "sequence_number": occasion.sequence_number,
                },
            },
            "sources": [source(request, s) for s in entry.sources.all()],
        }


def source(request, record):
    return {
        "id": record.pk,
        "title": record.title,
        "page": record.url or None,
        "url": link(request, "api:source-detail", pk=record.pk),
    }


CONCERN_EXAMPLE = {
    "slug": "xx-example-concern",
    "url": "https://portal.example/api/v1/concerns/xx-example-concern/",
    "web_url": "https://portal.example/concerns/xx-example-concern/",
    "title": "An example concern",
    "country": {"code": "XX", "name": "Example country", "url": "https://portal.example/api/v1/countries/XX/"},
    "topics": [],
    "current_status": "raised",
    "current_status_asserted_by": "eu",
    "raised_rounds": 3,
    "raised_since": 2001,
    "stagnant": True,
    "as_of": None,
}


@extend_schema_view(
    list=extend_schema(
        tags=["concerns"],
        summary=_("List concerns"),
        filters=True,
        responses={
            200: ConcernSerializer(many=True),
            400: BAD_FILTER,
            **READ_ERRORS,  # 404: a page past the end
        },
        examples=[
            OpenApiExample("A concern (example)", value=CONCERN_EXAMPLE, description=EXAMPLE_NOTE, response_only=True)
        ],
    ),
    retrieve=extend_schema(
        tags=["concerns"],
        summary=_("One concern with its history"),
        parameters=[
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description=_("Read the history as of this date (YYYY-MM-DD).")
            )
        ],
        responses={200: ConcernDetailSerializer, 400: BAD_FILTER, **READ_ERRORS},
    ),
)
class ConcernViewSet(viewsets.ReadOnlyModelViewSet):
    """Concerns the EU raised with one government, with their derived state; identified by slug."""

    serializer_class = ConcernSerializer
    filterset_class = ConcernFilterSet
    pagination_class = ListPagination
    lookup_field = "slug"
    lookup_value_regex = "[^/.]+"
    permission_classes = [permissions.AllowAny]
    public_response_cache = {"list"}

    def get_queryset(self):
        concerns = Concern.objects.public()
        return concerns.for_listing()

    def get_serializer_class(self):
        return ConcernDetailSerializer if self.action == "retrieve" else ConcernSerializer

    def as_of(self):
        form = ConcernFilterSet({"as_of": self.request.query_params.get("as_of", "")}).form
        if not form.is_valid():
            raise exceptions.ValidationError({"as_of": form.errors["as_of"]})
        return form.cleaned_data.get("as_of")

    def list(self, request, *args, **kwargs):
        as_of = self.as_of()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        states = concern_states(page, as_of=as_of, with_entries=False)
        context = {**self.get_serializer_context(), "states": states, "as_of": as_of}
        return self.get_paginated_response(ConcernSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        as_of = self.as_of()
        concern = self.get_object()
        projects = list(
            concern.projects.published().for_listing().select_related("call__parent").order_by("title", "pk")
        )
        recommendations = (
            concern.recommendations.filter(seminar__publication_status="published")
            .select_related("seminar", "partner_response_source")
            .order_by("seminar__held_on", "position")
        )
        context = {
            **self.get_serializer_context(),
            "states": concern_states([concern], as_of=as_of),
            "as_of": as_of,
            "projects": projects,
            "recommendations": list(recommendations),
        }
        return Response(ConcernDetailSerializer(concern, context=context).data)


class MatrixSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=matrix.MEASURES)
    countries = serializers.ListField(child=serializers.CharField())
    topics = serializers.ListField(child=serializers.CharField())
    cells = serializers.ListField(child=serializers.DictField())


class MatrixView(APIView):
    """The country x topic matrix: per cell the rounds that raised the topic, the number and
    latest status of its concerns and the known EU contribution of its projects; `measure` says
    which of them is each cell's `value` (as the page's heat map shows)."""

    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        tags=["statistics"],
        summary=_("The country x topic matrix"),
        responses={200: MatrixSerializer, 400: BAD_FILTER, **{c: r for c, r in READ_ERRORS.items() if c != 404}},
        parameters=[OpenApiParameter("measure", str, enum=list(matrix.MEASURES), description=_("Default: rounds."))],
    )
    def get(self, request):
        measure = request.query_params.get("measure") or "rounds"
        if measure not in matrix.MEASURES:
            raise exceptions.ValidationError({"measure": [_("Choose rounds, funding or status.")]})
        table = matrix.country_topic_matrix()
        cells = []
        for topic, row in table.rows():
            for cell in row:
                total = cell.funding_total
                value = matrix.measure_value(cell, measure)
                cells.append(
                    {
                        "country": cell.country.iso_code,
                        "topic": topic.slug,
                        "value": f"{value:.2f}" if measure == "funding" and value is not None else value,
                        "rounds": cell.rounds,
                        "concerns": cell.concerns,
                        "latest_status": cell.latest_status or None,
                        "projects": cell.projects,
                        "projects_from_iati": cell.projects_iati,
                        "known_eu_contribution_eur": None if total is None else f"{total:.2f}",
                    }
                )
        return Response(
            {
                "measure": measure,
                "countries": [c.iso_code for c in table.countries],
                "topics": [t.slug for t in table.topics],
                "cells": cells,
            }
        )
