"""Seminars as the API shows and accepts them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dialogues.api.fields import (
    CountryReference,
    DialogueRoundReference,
    OrganisationReference,
    PartialDateField,
    SourceReference,
    TopicReference,
)
from dialogues.api.serializers import (
    RECORD_FIELDS,
    PublishableSerializer,
    citations_field,
    identity,
    record_extra_kwargs,
)
from dialogues.models import Country, DialogueRound, Organisation, Source, Topic

from ..models import Seminar


class SeminarSerializer(PublishableSerializer):
    url = identity("api:seminar-detail")
    countries = CountryReference(
        many=True, queryset=Country.objects.all(), allow_empty=False, help_text=_("ISO codes; one or several.")
    )
    held = PartialDateField("held_on", allow_null=True, help_text=_("When the seminar was held; null when unknown."))
    dialogue_round = DialogueRoundReference(queryset=DialogueRound.objects.all(), required=False, allow_null=True)
    topics = TopicReference(many=True, queryset=Topic.objects.all(), required=False)
    sources = SourceReference(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Seminar
        fields = (
            "url",
            "id",
            "title",
            "kind",
            "countries",
            "city",
            "held",
            "date_note",
            "dialogue_round",
            "topics",
            "participating_organisations",
            "participating_organisations_qualifier",
            "summary",
            "sources",
            *RECORD_FIELDS,
        )
        extra_kwargs = record_extra_kwargs()


class SeminarDetailSerializer(SeminarSerializer):
    organisers = OrganisationReference(many=True, queryset=Organisation.objects.all(), required=False)
    recommendations = serializers.SerializerMethodField(
        help_text=_("The seminar's recommendations, in its words (edited in the admin).")
    )
    citations = citations_field()

    class Meta(SeminarSerializer.Meta):
        fields = (
            *SeminarSerializer.Meta.fields[:-5],
            "organisers",
            "recommendations",
            *SeminarSerializer.Meta.fields[-5:],
            "citations",
        )

    def get_recommendations(self, seminar) -> list[str]:
        return [recommendation.text for recommendation in seminar.recommendations.all()]
