"""API views for programmes, calls and projects."""

from drf_spectacular.utils import OpenApiExample

from dialogues.api.pagination import ProjectPagination
from dialogues.api.schema import document_resource
from dialogues.api.views import SOURCE_EXAMPLE, PublishableViewSet

from ..filtersets import CallFilterSet, ProgrammeFilterSet, ProjectFilterSet
from ..models import Call, Programme, Project
from .serializers import (
    CallDetailSerializer,
    CallSerializer,
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
)

PROJECT_EXAMPLE = {
    "url": "https://portal.example/api/v1/projects/12/",
    "id": 12,
    "title": "An example project (invented for this documentation)",
    "programme": {
        "slug": "example-programme",
        "name": "Example programme",
        "url": "https://portal.example/api/v1/programmes/example-programme/",
    },
    "call": None,
    "countries": [{"code": "XX", "name": "Example country", "url": "https://portal.example/api/v1/countries/XX/"}],
    "topics": [],
    "eu_contribution_eur": "12345.00",
    "starts": {"date": "2010", "precision": "year"},
    "ends": None,
    "duration_months": 24,
    "status": "completed",
    "summary": "",
    "sources": [SOURCE_EXAMPLE],
    "source_kind": "editorial",
    "publication_status": "published",
    "is_synthetic": False,
    "created_at": "2026-01-05T10:00:00Z",
    "updated_at": "2026-01-05T10:00:00Z",
}


@document_resource(
    plural="programmes",
    singular="programme",
    list_serializer=ProgrammeSerializer,
    detail_serializer=ProgrammeDetailSerializer,
    filterset=ProgrammeFilterSet,
)
class ProgrammeViewSet(PublishableViewSet):
    """EU funding instruments, identified by slug (e.g. eidhr)."""

    model = Programme
    serializer_class = ProgrammeDetailSerializer
    list_serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    lookup_field = "slug"
    lookup_value_regex = "[^/.]+"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].lower()
        return super().get_object()


@document_resource(
    plural="calls",
    singular="call",
    list_serializer=CallSerializer,
    detail_serializer=CallDetailSerializer,
    filterset=CallFilterSet,
)
class CallViewSet(PublishableViewSet):
    """Packages of projects announced under a programme, with their total when known."""

    model = Call
    serializer_class = CallDetailSerializer
    list_serializer_class = CallSerializer
    filterset_class = CallFilterSet


@document_resource(
    plural="projects",
    singular="project",
    list_serializer=ProjectSerializer,
    detail_serializer=ProjectDetailSerializer,
    filterset=ProjectFilterSet,
    list_examples=[
        OpenApiExample(
            "An example page of ?country=KZ&programme=eidhr (invented values)",
            response_only=True,
            value={
                "count": 1,
                "next": None,
                "previous": None,
                "results": [PROJECT_EXAMPLE],
            },
        )
    ],
)
class ProjectViewSet(PublishableViewSet):
    """EU-funded projects, with their amount when known and their sources."""

    model = Project
    serializer_class = ProjectDetailSerializer
    list_serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    pagination_class = ProjectPagination
