"""API views for the core records, and the viewset every publishable resource shares.

Every queryset starts from `visible_to(request.user)` (published records for the public, drafts
too for those who may change them) and loads what it shows through `for_listing()` or
`for_detail()` (querysets.py): no prefetching here. Listings are built from values rather than
instances (values.py), with the same output.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from revisions.api import RevisionSerializer
from revisions.models import RevisionOrigin
from revisions.services import needs_review, propose

from ..filtersets import (
    CountryFilterSet,
    DialogueRoundFilterSet,
    OrganisationFilterSet,
    SourceFilterSet,
    TopicFilterSet,
)
from ..models import Country, DialogueRound, Organisation, Source, Topic
from ..services import refuse_stranding
from .pagination import ListPagination
from .schema import document_resource
from .serializers import (
    CountryDetailSerializer,
    CountrySerializer,
    DialogueRoundDetailSerializer,
    DialogueRoundSerializer,
    OrganisationSerializer,
    SourceSerializer,
    TopicSerializer,
)
from .values import Unsupported, ValuesReader
from .versions import check_if_match, record_etag


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records still refer to this one: remove those links first.")
    default_code = "conflict"


class PublishableViewSet(viewsets.ModelViewSet):
    """List, detail and permission-checked writes for one publishable model."""

    model = None
    list_serializer_class = None
    list_from_values = True  # False: list through the serializer's instance path (tests compare the two)
    pagination_class = ListPagination
    public_response_cache = {"list"}  # a visitor's list is served again until the next edit (response_cache.py)
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        records = self.model.objects.visible_to(user)
        # related records as the user may see them: an editor's drafts too, marked (fields.py)
        return records.for_listing(user) if self.action == "list" else records.for_detail(user)

    def values_reader(self, queryset):
        """The list serializer read from values rows (values.py), or None to list instances."""
        if not self.list_from_values:
            return None
        try:
            return ValuesReader(self.get_serializer(), queryset)
        except Unsupported:
            return None

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        reader = self.values_reader(queryset)
        if reader is not None and self.paginator is not None:
            self.paginator.read_rows = reader.rows  # counted and paged as it is; the page read as rows
        page = self.paginate_queryset(queryset)
        if reader is None:
            data = self.get_serializer(queryset if page is None else page, many=True).data
        else:
            data = reader.represent(reader.rows(queryset) if page is None else page)
        return Response(data) if page is None else self.get_paginated_response(data)

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def _reload(self, serializer):
        # The response shows the record as a fresh detail request would (the same prefetches).
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = record_etag(instance)
        return response

    def update(self, request, *args, **kwargs):
        """A write of a published record by a user who may not publish it is kept for review
        (revisions/): 202 with the change waiting, the record unchanged. Others write at once."""
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object()
            check_if_match(request, self.model, instance.pk)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            if needs_review(request.user, instance):
                candidate, m2m = serializer.proposal()
                try:
                    revision = propose(
                        record=instance, candidate=candidate, m2m=m2m, author=request.user, origin=RevisionOrigin.API
                    )
                except DjangoValidationError as error:
                    raise Conflict(" ".join(error.messages)) from None
                if revision is not None:
                    data = RevisionSerializer(revision, context=self.get_serializer_context()).data
                    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": str(data["url"])})
                response = Response(self.get_serializer(instance).data)
            else:
                self.perform_update(serializer)
                response = Response(serializer.data)
        response["ETag"] = record_etag(serializer.instance)
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object()
            check_if_match(request, self.model, instance.pk)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()
        self._reload(serializer)

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()
        self._reload(serializer)

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError):
            raise Conflict() from None


SOURCE_EXAMPLE = {
    "id": 3,
    "name": "An example source (invented)",
    "publisher": "An example publisher",
    "published": {"date": "2008-10", "precision": "month"},
    "document_url": "https://example.org/press-release",
    "url": "https://portal.example/api/v1/sources/3/",
}


@document_resource(
    plural="countries",
    singular="country",
    list_serializer=CountrySerializer,
    detail_serializer=CountryDetailSerializer,
    filterset=CountryFilterSet,
)
class CountryViewSet(PublishableViewSet):
    """The five Central Asian countries, identified by ISO code (case-insensitive: /countries/kz/)."""

    model = Country
    serializer_class = CountryDetailSerializer
    list_serializer_class = CountrySerializer
    filterset_class = CountryFilterSet
    lookup_field = "iso_code"
    lookup_value_regex = "[^/.]+"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


@document_resource(
    plural="topics",
    singular="topic",
    list_serializer=TopicSerializer,
    detail_serializer=TopicSerializer,
    filterset=TopicFilterSet,
)
class TopicViewSet(PublishableViewSet):
    """Human rights themes, identified by slug."""

    model = Topic
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    lookup_field = "slug"
    lookup_value_regex = "[^/.]+"


@document_resource(
    plural="organisations",
    singular="organisation",
    list_serializer=OrganisationSerializer,
    detail_serializer=OrganisationSerializer,
    filterset=OrganisationFilterSet,
)
class OrganisationViewSet(PublishableViewSet):
    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet


@document_resource(
    plural="sources",
    singular="source",
    list_serializer=SourceSerializer,
    detail_serializer=SourceSerializer,
    filterset=SourceFilterSet,
    create_examples=[
        OpenApiExample(
            "An example source (invented)",
            request_only=True,
            value={
                "title": "An example source (invented)",
                "publisher": "An example publisher",
                "kind": "press_release",
                "published": {"date": "2008-10"},
                "document_url": "https://example.org/press-release",
            },
        )
    ],
)
class SourceViewSet(PublishableViewSet):
    """The documents records cite: every published record cites at least one."""

    model = Source
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet

    def perform_destroy(self, instance):
        try:  # refused while the source is a published record's last published one (services.py)
            refuse_stranding(sources=[instance])
        except DjangoValidationError as error:
            raise Conflict(" ".join(error.messages)) from None
        super().perform_destroy(instance)


@document_resource(
    plural="dialogue rounds",
    singular="dialogue round",
    list_serializer=DialogueRoundSerializer,
    detail_serializer=DialogueRoundDetailSerializer,
    filterset=DialogueRoundFilterSet,
)
class DialogueRoundViewSet(PublishableViewSet):
    """Meetings of the EU and a country's officials on human rights."""

    model = DialogueRound
    serializer_class = DialogueRoundDetailSerializer
    list_serializer_class = DialogueRoundSerializer
    filterset_class = DialogueRoundFilterSet
