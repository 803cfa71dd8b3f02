"""API views for seminars."""

from drf_spectacular.utils import OpenApiExample

from dialogues.api.schema import document_resource
from dialogues.api.views import PublishableViewSet

from ..filtersets import SeminarFilterSet
from ..models import Seminar
from .serializers import SeminarDetailSerializer, SeminarSerializer

CREATE_EXAMPLE = OpenApiExample(
    "An example seminar (invented)",
    request_only=True,
    value={
        "title": "An example seminar (invented)",
        "kind": "seminar",
        "countries": ["KZ"],
        "city": "Example City",
        "held": {"date": "2010-11", "precision": "month"},
        "topics": ["freedom-of-expression"],
        "summary": "An invented example.",
        "sources": [3],
    },
)


@document_resource(
    plural="seminars",
    singular="seminar",
    list_serializer=SeminarSerializer,
    detail_serializer=SeminarDetailSerializer,
    filterset=SeminarFilterSet,
    create_examples=[CREATE_EXAMPLE],
)
class SeminarViewSet(PublishableViewSet):
    """Civil society seminars and forums held around the dialogues."""

    model = Seminar
    serializer_class = SeminarDetailSerializer
    list_serializer_class = SeminarSerializer
    filterset_class = SeminarFilterSet
