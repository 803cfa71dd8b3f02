"""The shapes of the statistics endpoints (read-only)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def absolute(request, view_name, **kwargs):
    return request.build_absolute_uri(reverse(view_name, kwargs=kwargs))


class CountsSerializer(serializers.Serializer):
    dialogue_rounds = serializers.IntegerField(help_text=_("Published dialogue rounds."))
    seminars = serializers.IntegerField(help_text=_("Published seminars and forums."))
    projects = serializers.IntegerField(help_text=_("Published projects."))
    calls = serializers.IntegerField(help_text=_("Published calls (packages)."))


class ProgrammeLinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()


class ProgrammeAmountSerializer(serializers.Serializer):
    programme = ProgrammeLinkSerializer(allow_null=True, help_text=_("null: no source names the programme."))
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)

    def to_representation(self, item):
        request = self.context["request"]
        return {
            "programme": None
            if item.slug is None
            else {
                "slug": item.slug,
                "name": str(item.name),  # in the request's language (funding.aggregates.ProgrammeName)
                "url": absolute(request, "api:programme-detail", slug=item.slug),
            },
            "amount": f"{item.amount:.2f}",
        }


class YearAmountSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True, help_text=_("null: the records give no year."))
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)


class KnownContributionSerializer(serializers.Serializer):
    currency = serializers.SerializerMethodField(help_text=_("Always EUR."))
    total = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        coerce_to_string=True,
        allow_null=True,
        help_text=_("null when nothing is known: an unknown amount is never counted as 0."),
    )
    by_programme = ProgrammeAmountSerializer(many=True)
    by_year = YearAmountSerializer(many=True)
    calls_counted = serializers.IntegerField(help_text=_("Calls whose announced total is counted."))
    projects_counted = serializers.IntegerField(help_text=_("Projects whose own amount is counted."))
    projects_counted_from_iati = serializers.IntegerField(
        source="projects_counted_iati",
        help_text=_("Of the projects counted, those imported from IATI activity files (the rest are editorial)."),
    )
    projects_amount_unknown = serializers.IntegerField(
        help_text=_("Projects left out: no amount, and no counted call covers them.")
    )

    def get_currency(self, contribution) -> str:
        return "EUR"


class CountryLinkSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()


class CountrySummarySerializer(serializers.Serializer):
    country = CountryLinkSerializer()
    counts = CountsSerializer()
    known_eu_contribution = KnownContributionSerializer()


class CountryCountsSerializer(serializers.Serializer):
    country = CountryLinkSerializer()
    summary_url = serializers.URLField()
    counts = CountsSerializer()


class StatsSerializer(serializers.Serializer):
    counts = CountsSerializer()
    known_eu_contribution = KnownContributionSerializer()
    countries = CountryCountsSerializer(many=True)
