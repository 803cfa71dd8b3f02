"""Serializers for the core records, and the base every publishable record's serializer shares.

Writes validate like the admin does: the model's `full_clean()` runs before anything is saved,
and the save, its relations and any change of publication status happen in one transaction, so
an error writes nothing. Publishing and unpublishing go through `dialogues.services`.
"""

import copy

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.reverse import reverse

from ..constraint_messages import constraint_errors
from ..models import Country, DialogueFormat, DialogueRound, DialogueSeries, Organisation, Source, Topic
from ..plain_text import validate_plain_text
from ..publishing import PublicationStatus
from ..services import UNSOURCED_MESSAGE, can_publish, cites_a_published_source, records_publish, records_unpublish
from .fields import CountryReference, PartialDateField, ReadsValues, SourceReference, TopicReference

RECORD_FIELDS = ("publication_status", "is_synthetic", "created_at", "updated_at")


def identity(view_name, lookup_field="pk"):
    return serializers.HyperlinkedIdentityField(view_name=view_name, lookup_field=lookup_field)


@extend_schema_field(OpenApiTypes.STR)  # documented as a plain string since v1 began (no "format": "uri")
class LinkField(serializers.HyperlinkedIdentityField):
    """The URL of another endpoint about the record, e.g. a country's summary."""


def _refuse_forbidden_characters(field):
    """Every writable text (lists' items too) refuses control and text-direction characters."""
    if isinstance(field, serializers.ListField):
        _refuse_forbidden_characters(field.child)
    elif isinstance(field, serializers.CharField) and not field.read_only:
        field.validators.append(validate_plain_text)


class PublishableSerializer(serializers.ModelSerializer):
    """The base of every record's serializer: validation, publication rules, atomic writes."""

    publication_status = serializers.ChoiceField(
        choices=PublicationStatus.choices,
        required=False,
        help_text=_(
            "Only published records are shown to the public. New records are drafts unless a user with "
            "the publish permission asks otherwise; only such a user may change the status, and a "
            "published record must cite at least one published source."
        ),
    )

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _refuse_forbidden_characters(field)
        return fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def _m2m_names(self):
        return {field.name for field in self.Meta.model._meta.many_to_many}

    def _error_key(self, model_field_name):
        """The serializer field that carries a model field (a partial date carries two)."""
        for name, field in self.fields.items():
            if isinstance(field, PartialDateField) and model_field_name in field.model_fields():
                return name
            if field.source == model_field_name:
                return name
        return model_field_name if model_field_name != "__all__" else "non_field_errors"

    def validate(self, attrs):
        model = self.Meta.model
        current = self.instance.publication_status if self.instance else PublicationStatus.DRAFT
        wanted = attrs.get("publication_status", current)
        if wanted != current and not can_publish(self._user(), model):
            raise exceptions.PermissionDenied(
                _("You may not publish or unpublish %(records)s.") % {"records": model._meta.verbose_name_plural}
            )

        m2m = self._m2m_names()
        candidate = copy.copy(self.instance) if self.instance else model()
        for name, value in attrs.items():
            if name not in m2m:
                setattr(candidate, name, value)
        try:
            candidate.full_clean(validate_constraints=False)
            errors = {}
        except DjangoValidationError as error:
            errors = error.message_dict
        # the constraints in plain language, each at its field (constraint_messages.py), as in the admin
        for name, violations in constraint_errors(candidate, exclude=set(errors)).items():
            errors.setdefault(name, []).extend(message for violation in violations for message in violation.messages)
        if errors:
            raise serializers.ValidationError(
                {self._error_key(name): messages for name, messages in errors.items()}
            ) from None

        if wanted == PublicationStatus.PUBLISHED and "sources" in m2m:
            if "sources" in attrs:
                has_source = cites_a_published_source(attrs["sources"])
            else:
                has_source = self.instance is not None and cites_a_published_source(self.instance.sources.all())
            if not has_source:
                raise serializers.ValidationError({self._error_key("sources"): [UNSOURCED_MESSAGE]})
        return attrs

    def proposal(self):
        """(the record with the validated changes applied, in memory; {many-to-many name: records})
        for a change kept for review instead of saved (revisions/)."""
        m2m_names = self._m2m_names()
        candidate, m2m = copy.copy(self.instance), {}
        for name, value in self.validated_data.items():
            if name in m2m_names:
                m2m[name] = value
            elif name != "publication_status":
                setattr(candidate, name, value)
        return candidate, m2m

    def _save(self, instance, validated_data):
        m2m = {name: validated_data.pop(name) for name in list(validated_data) if name in self._m2m_names()}
        wanted = validated_data.pop("publication_status", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        for name, value in m2m.items():
            getattr(instance, name).set(value)
        if wanted is not None and wanted != instance.publication_status:
            records = type(instance).objects.filter(pk=instance.pk)
            action = records_publish if wanted == PublicationStatus.PUBLISHED else records_unpublish
            try:
                action(user=self._user(), records=records)
            except DjangoPermissionDenied as error:
                raise exceptions.PermissionDenied(str(error)) from None
            except DjangoValidationError as error:
                raise serializers.ValidationError({"publication_status": error.messages}) from None
            instance.refresh_from_db(fields=["publication_status", "updated_at"])
        return instance

    @transaction.atomic
    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    @transaction.atomic
    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


def record_extra_kwargs():
    return {name: {"read_only": True} for name in RECORD_FIELDS if name != "publication_status"}


class SourceSerializer(PublishableSerializer):
    url = identity("api:source-detail")
    published = PartialDateField("published_on", help_text=_("When the document was published."))
    document_url = serializers.URLField(
        source="url", max_length=1000, required=False, allow_blank=True, help_text=_("Where the document is published.")
    )
    archived_document = serializers.CharField(
        source="document", max_length=200, required=False, allow_blank=True, help_text=Source.document.field.help_text
    )

    class Meta:
        model = Source
        fields = (
            "url",
            "id",
            "title",
            "publisher",
            "publisher_kind",
            "kind",
            "published",
            "date_note",
            "document_url",
            "archived_document",
            "description",
            *RECORD_FIELDS,
        )
        extra_kwargs = record_extra_kwargs()


class TopicSerializer(PublishableSerializer):
    url = identity("api:topic-detail", "slug")
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Topic
        fields = ("url", "slug", "name", "description", "sources", *RECORD_FIELDS)
        extra_kwargs = record_extra_kwargs()


class CountrySerializer(PublishableSerializer):
    url = identity("api:country-detail", "iso_code")
    code = serializers.CharField(
        source="iso_code", max_length=2, min_length=2, help_text=Country.iso_code.field.help_text
    )
    summary_url = LinkField(
        view_name="api:country-summary", lookup_field="iso_code", help_text=_("Counts and the known EU contribution.")
    )
    dialogue_started = PartialDateField("dialogue_started_on", help_text=_("When the human rights dialogue started."))
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Country
        fields = (
            "url",
            "code",
            "name",
            "slug",
            "summary_url",
            "eu_agreement",
            "trade_preference",
            "dialogue_started",
            "dialogue_start_form",
            "summary",
            "sources",
            *RECORD_FIELDS,
        )
        extra_kwargs = record_extra_kwargs()

    def validate_code(self, value):
        return value.upper()


class CitationSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The field whose value is cited."))
    basis = serializers.CharField(help_text=_("stated, or inferred (the note says from what)."))
    reading = serializers.CharField(
        help_text=_("Another value this source gives; blank when it supports the shown one.")
    )
    note = serializers.CharField()
    source = serializers.SerializerMethodField()

    def get_source(self, citation) -> dict:
        request = self.context.get("request")
        return {
            "id": citation.source_id,
            "title": citation.source.title,
            "page": citation.source.url or None,
            "url": reverse("api:source-detail", kwargs={"pk": citation.source_id}, request=request),
        }


def citations_field():
    """A record's citations of single values, on its detail (read from for_detail()'s prefetch)."""
    return CitationSerializer(
        many=True, read_only=True, help_text=_("Which source states which value, or how a value was inferred.")
    )


class CountryDetailSerializer(CountrySerializer):
    dialogue_topics = TopicReference(many=True, queryset=Topic.objects.all(), required=False)
    citations = citations_field()

    class Meta(CountrySerializer.Meta):
        fields = (
            *CountrySerializer.Meta.fields[:-5],
            "dialogue_topics",
            *CountrySerializer.Meta.fields[-5:],
            "citations",
        )


class OrganisationSerializer(PublishableSerializer):
    url = identity("api:organisation-detail")
    country = CountryReference(queryset=Country.objects.all(), required=False, allow_null=True)
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Organisation
        fields = (
            "url",
            "id",
            "name",
            "slug",
            "acronym",
            "iati_ref",
            "kind",
            "country",
            "website",
            "description",
            "sources",
            *RECORD_FIELDS,
        )
        extra_kwargs = record_extra_kwargs()


@extend_schema_field({"type": "string", "enum": list(DialogueSeries.values), "readOnly": True})
class SeriesField(ReadsValues, serializers.Field):
    """The numbered series a round belongs to, which follows from its format (read-only)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def value_paths(self):
        return ("format",)

    def from_values(self, round_format):
        return DialogueSeries.SUBCOMMITTEE if round_format == DialogueFormat.SUBCOMMITTEE else DialogueSeries.DIALOGUE

    def to_representation(self, instance):
        return self.from_values(*self.values_of(instance))


class DialogueRoundSerializer(PublishableSerializer):
    url = identity("api:dialogueround-detail")
    series = SeriesField(help_text=_("dialogue, or subcommittee: two numberings, never added together."))
    held_until = serializers.DateField(
        required=False, allow_null=True, help_text=_("The last day of a round over several days.")
    )
    country = CountryReference(queryset=Country.objects.all())
    held = PartialDateField(
        "held_on",
        required=True,
        help_text=_("When the round was held; null for a round no source dates, known by its number."),
    )
    topics = TopicReference(many=True, queryset=Topic.objects.all(), required=False)
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = DialogueRound
        fields = (
            "url",
            "id",
            "country",
            "held",
            "held_until",
            "series",
            "place",
            "modality",
            "format",
            "sequence_number",
            "number_basis",
            "number_note",
            "alongside",
            "alongside_number",
            "eu_lead",
            "partner_lead",
            "topics",
            "summary",
            "sources",
            *RECORD_FIELDS,
        )
        extra_kwargs = {**record_extra_kwargs(), "sequence_number": {"min_value": 1}}


class DialogueRoundDetailSerializer(DialogueRoundSerializer):
    citations = citations_field()

    class Meta(DialogueRoundSerializer.Meta):
        fields = (*DialogueRoundSerializer.Meta.fields, "citations")
