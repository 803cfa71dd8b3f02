"""The changes waiting for review, through the API: for those who may change records only.

`GET /api/v1/revisions/` lists them (`?status=pending` by default; `all` for every decision),
`POST /api/v1/revisions/{id}/accept/` or `/reject/` decides (Publishers of the record's model),
`/withdraw/` takes one's own back.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dialogues_portal.roles import CONTENT_APPS

from . import services
from .models import PendingRevision, RevisionStatus


class MayChangeRecords(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_active and any(user.has_module_perms(app) for app in CONTENT_APPS))


class RevisionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:revision-detail")
    record_type = serializers.SerializerMethodField(help_text=_("The kind of record, e.g. funding.project."))
    record_id = serializers.IntegerField(source="object_id", read_only=True)
    record_name = serializers.SerializerMethodField()
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)  # a user deleted
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)  # until decided

    class Meta:
        model = PendingRevision
        fields = (
            "url",
            "id",
            "record_type",
            "record_id",
            "record_name",
            "author",
            "origin",
            "created_at",
            "changes",
            "base",
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        )
        read_only_fields = fields

    def get_record_type(self, revision) -> str:
        return f"{revision.content_type.app_label}.{revision.content_type.model}"

    def get_record_name(self, revision) -> str:
        return revision.record_label()


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


STATUS_PARAMETER = OpenApiParameter(
    "status",
    str,
    enum=[*RevisionStatus.values, "all"],
    description=_("Which changes: those waiting for review (the default), or those decided, or all."),
)


@extend_schema_view(list=extend_schema(parameters=[STATUS_PARAMETER]))
class RevisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Changes to published records proposed by Editors, waiting for a Publisher's review."""

    serializer_class = RevisionSerializer
    permission_classes = [permissions.IsAuthenticated, MayChangeRecords]
    filter_backends = []

    def get_queryset(self):
        revisions = PendingRevision.objects.select_related("content_type", "author", "reviewed_by")
        wanted = self.request.query_params.get("status", RevisionStatus.PENDING)
        if self.action == "list" and wanted != "all":
            if wanted not in RevisionStatus.values:
                raise exceptions.ValidationError(
                    {"status": [_("Expected one of: %s.") % ", ".join([*RevisionStatus.values, "all"])]}
                )
            revisions = revisions.filter(status=wanted)
        return revisions

    def _decide(self, request, decision):
        revision = self.get_object()
        model = revision.content_type.model_class()
        if not request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
            raise exceptions.PermissionDenied()
        decision_data = DecisionSerializer(data=request.data)
        decision_data.is_valid(raise_exception=True)
        note = decision_data.validated_data.get("note", "")
        try:
            if decision == "withdraw":
                revision = services.withdraw(revision, user=request.user)
            else:
                revision = getattr(services, decision)(revision, user=request.user, note=note)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        revision.refresh_from_db()
        return Response(self.get_serializer(revision).data)

    @extend_schema(request=DecisionSerializer, responses=RevisionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Apply the change to the record (a Publisher of its model): it goes live at once."""
        return self._decide(request, "accept")

    @extend_schema(request=DecisionSerializer, responses=RevisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Refuse the change (a Publisher of its model): the record stays as it is."""
        return self._decide(request, "reject")

    @extend_schema(request=None, responses=RevisionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take one's own proposal back."""
        return self._decide(request, "withdraw")
