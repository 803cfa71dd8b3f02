"""Programmes, calls and projects as the API shows and accepts them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dialogues.api.fields import (
    CountryReference,
    OrganisationReference,
    PartialDateField,
    ReadsValues,
    ReferenceField,
    SourceReference,
    TopicReference,
    place_name,
)
from dialogues.api.serializers import (
    RECORD_FIELDS,
    PublishableSerializer,
    citations_field,
    identity,
    record_extra_kwargs,
)
from dialogues.models import Country, Organisation, Source, Topic

from ..models import EUR, Call, IatiBudget, IatiTransaction, Programme, Project, ProjectSector, ProjectSourceKind


class ProgrammeReference(ReferenceField):
    view_name = "api:programme-detail"
    lookup_field = url_kwarg = "slug"
    key = "slug"
    key_type = "string"

    def normalise(self, value):
        return value.lower()


class CallReference(ReferenceField):
    view_name = "api:call-detail"
    label_attribute = "title"


def amount(help_text, **kwargs):
    """An amount in EUR, as a decimal string ("1500000.00"); null when unknown, never 0 for unknown."""
    return serializers.DecimalField(
        **EUR,
        min_value=0,
        required=False,
        allow_null=True,
        coerce_to_string=True,
        help_text=help_text,
        **kwargs,
    )


@extend_schema_field({"type": "array", "items": {"type": "string"}, "readOnly": True})
class PlacesField(ReadsValues, serializers.ReadOnlyField):
    """Places (a city or region) as "Almaty (KZ)"; read-only in the API."""

    def value_paths(self):
        # country is select_related wherever places are listed (querysets.py)
        return ("name", "country__iso_code")

    def from_values(self, name, iso_code):
        return place_name(name, iso_code)

    def to_representation(self, places):
        return [self.from_values(*self.values_of(place)) for place in places.all()]


class ProgrammeSerializer(PublishableSerializer):
    url = identity("api:programme-detail", "slug")
    predecessor = ProgrammeReference(queryset=Programme.objects.all(), required=False, allow_null=True)
    launched = PartialDateField("launched_on", allow_null=True, help_text=_("When the programme was established."))
    countries = CountryReference(many=True, queryset=Country.objects.all(), required=False)
    envelope_eur = amount(_("The programme's envelope in EUR; null when unknown."))
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Programme
        fields = (
            "url",
            "slug",
            "name",
            "acronym",
            "predecessor",
            "launched",
            "scope",
            "countries",
            "envelope_eur",
            "summary",
            "sources",
            *RECORD_FIELDS,
        )
        extra_kwargs = record_extra_kwargs()


class ProgrammeDetailSerializer(ProgrammeSerializer):
    citations = citations_field()

    class Meta(ProgrammeSerializer.Meta):
        fields = (*ProgrammeSerializer.Meta.fields, "citations")


class CallSerializer(PublishableSerializer):
    url = identity("api:call-detail")
    programme = ProgrammeReference(queryset=Programme.objects.all(), required=False, allow_null=True)
    country = CountryReference(
        queryset=Country.objects.all(), required=False, allow_null=True, help_text=_("null for a regional package.")
    )
    announced = PartialDateField("announced_on", allow_null=True, help_text=_("When the call was announced."))
    total_amount_eur = amount(_("The package's total in EUR; null when unknown."))
    places = PlacesField(help_text=_('Where the projects work, as "City (ISO code)"; edited in the admin.'))
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Call
        fields = (
            "url",
            "id",
            "programme",
            "title",
            "country",
            "year",
            "announced",
            "total_amount_eur",
            "project_count",
            "places",
            "summary",
            "sources",
            *RECORD_FIELDS,
        )
        extra_kwargs = {**record_extra_kwargs(), "year": {"min_value": 1950, "max_value": 2100}}


class CallDetailSerializer(CallSerializer):
    citations = citations_field()

    class Meta(CallSerializer.Meta):
        fields = (*CallSerializer.Meta.fields, "citations")


class ProjectSerializer(PublishableSerializer):
    url = identity("api:project-detail")
    programme = ProgrammeReference(queryset=Programme.objects.all(), required=False, allow_null=True)
    call = CallReference(queryset=Call.objects.all(), required=False, allow_null=True)
    countries = CountryReference(
        many=True, queryset=Country.objects.all(), allow_empty=False, help_text=_("ISO codes; one or several.")
    )
    topics = TopicReference(many=True, queryset=Topic.objects.all(), required=False)
    eu_contribution_eur = amount(
        _("The EU contribution in EUR; null when unknown (the call's total may cover it)."),
    )
    starts = PartialDateField("starts_on", allow_null=True, help_text=_("When the project starts."))
    ends = PartialDateField("ends_on", allow_null=True, help_text=_("When the project ends."))
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Project
        fields = (
            "url",
            "id",
            "title",
            "programme",
            "call",
            "countries",
            "topics",
            "eu_contribution_eur",
            "starts",
            "ends",
            "duration_months",
            "status",
            "summary",
            "sources",
            "source_kind",
            *RECORD_FIELDS,
        )
        read_only_fields = ("source_kind",)
        extra_kwargs = {**record_extra_kwargs(), "duration_months": {"min_value": 1, "max_value": 1200}}


class StatedTransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = IatiTransaction
        fields = ("transaction_type", "value", "currency", "value_date", "transaction_date")


class StatedSectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectSector
        fields = ("code", "percentage")


class StatedBudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IatiBudget
        fields = ("budget_type", "status", "period_start", "period_end", "value", "currency", "value_date")


class ProjectDetailSerializer(ProjectSerializer):
    implementing_organisation = OrganisationReference(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    places = PlacesField(help_text=_('Where the project works, as "City (ISO code)"; edited in the admin.'))
    citations = citations_field()
    d_portal_url = serializers.URLField(
        read_only=True, allow_null=True, help_text=_("The IATI activity on d-portal; null for editorial projects.")
    )
    iati_transactions = serializers.SerializerMethodField(
        help_text=_("Commitments (2), disbursements (3), expenditure (4) in the currencies the IATI file states.")
    )
    iati_budgets = serializers.SerializerMethodField(help_text=_("Budgets by period, as the IATI file states them."))
    iati_sectors = serializers.SerializerMethodField(
        help_text=_("DAC 5-digit sectors with their percentages, as the IATI file states them.")
    )

    class Meta(ProjectSerializer.Meta):
        fields = (
            *ProjectSerializer.Meta.fields[:5],
            "implementing_organisation",
            "places",
            *ProjectSerializer.Meta.fields[5:],
            *("iati_identifier", "d_portal_url", "iati_sectors", "iati_transactions", "iati_budgets"),
            "citations",
        )
        read_only_fields = ("source_kind", "iati_identifier")

    # an editorial project has none: no query for it
    @extend_schema_field(StatedTransactionSerializer(many=True))
    def get_iati_transactions(self, project):
        if project.source_kind != ProjectSourceKind.IATI:
            return []
        return StatedTransactionSerializer(project.transactions.all(), many=True).data

    @extend_schema_field(StatedSectorSerializer(many=True))
    def get_iati_sectors(self, project):
        if project.source_kind != ProjectSourceKind.IATI:
            return []
        return StatedSectorSerializer(project.sectors.all(), many=True).data

    @extend_schema_field(StatedBudgetSerializer(many=True))
    def get_iati_budgets(self, project):
        if project.source_kind != ProjectSourceKind.IATI:
            return []
        return StatedBudgetSerializer(project.budgets.all(), many=True).data
