"""Statistics overall and per country: counts and the known EU contribution (funding.aggregates)."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import parsers, permissions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from dialogues.api.schema import READ_ERRORS, THROTTLED, UNAUTHENTICATED, error, validation_error
from dialogues.models import Country, DialogueRound
from dialogues.publishing import PublicationStatus
from funding import aggregates
from funding.models import Call
from seminars.models import Seminar

from ..tokens import token_expires_at, token_issue, token_revoke
from .parsers import PortalJSONParser
from .serializers import CountrySummarySerializer, StatsSerializer, absolute

PUBLISHED = PublicationStatus.PUBLISHED

CONTRIBUTION_RULE = _(
    "The known EU contribution sums the announced total of every published call (package) where it is "
    "known, plus the amount of every published project whose call is not counted (no call, a call "
    "without a known total, or a call outside the scope). Nothing is counted twice and an unknown amount "
    "is never taken as 0: `total` is null when nothing is known, and `projects_amount_unknown` counts the "
    "projects the figure leaves out. In one country's figures a project working in several countries "
    "counts in full; a regional call (no country) counts only in the overall figures."
)

CONTRIBUTION_EXAMPLE = {
    "currency": "EUR",
    "total": "30000.00",
    "by_programme": [
        {
            "programme": {
                "slug": "example-programme",
                "name": "Example programme",
                "url": "https://portal.example/api/v1/programmes/example-programme/",
            },
            "amount": "30000.00",
        }
    ],
    "by_year": [{"year": 2001, "amount": "10000.00"}, {"year": 2002, "amount": "20000.00"}],
    "calls_counted": 2,
    "projects_counted": 0,
    "projects_counted_from_iati": 0,
    "projects_amount_unknown": 3,
}
COUNTS_EXAMPLE = {"dialogue_rounds": 3, "seminars": 2, "projects": 1, "calls": 1}  # invented


def country_link(request, country):
    return {
        "code": country.iso_code,
        "name": country.name,
        "url": absolute(request, "api:country-detail", iso_code=country.iso_code),
    }


class StatsView(APIView):
    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        tags=["statistics"],
        summary=_("Counts and the known EU contribution, overall and per country"),
        description=CONTRIBUTION_RULE,
        responses={200: StatsSerializer, **{code: r for code, r in READ_ERRORS.items() if code != 404}},
        examples=[
            OpenApiExample(
                "An example (invented values)",
                response_only=True,
                value={
                    "counts": COUNTS_EXAMPLE,
                    "known_eu_contribution": CONTRIBUTION_EXAMPLE,
                    "countries": [
                        {
                            "country": {
                                "code": "XX",
                                "name": "Example country",
                                "url": "https://portal.example/api/v1/countries/XX/",
                            },
                            "summary_url": "https://portal.example/api/v1/countries/XX/summary/",
                            "counts": COUNTS_EXAMPLE,
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request):
        # Queries: 3 totals, the published countries, 3 per-country counts, 2 for the projects' counts
        # (funding/summaries.py) and 3 for the contribution, none of these 5 while cached.
        project_counts = aggregates.project_counts()
        counts = {
            "dialogue_rounds": DialogueRound.objects.published().count(),
            "seminars": Seminar.objects.published().count(),
            "projects": project_counts.get((None, None), 0),
            "calls": Call.objects.published().count(),
        }
        per_country = {
            "dialogue_rounds": _grouped(DialogueRound.objects.published().values("country_id")),
            "seminars": _grouped(
                Seminar.countries.through.objects.filter(seminar__publication_status=PUBLISHED).values("country_id")
            ),
            "projects": {scope: n for (scope, topic), n in project_counts.items() if topic is None},
            "calls": _grouped(Call.objects.published().values("country_id")),
        }
        countries = [
            {
                "country": country_link(request, country),
                "summary_url": absolute(request, "api:country-summary", iso_code=country.iso_code),
                "counts": {name: numbers.get(country.pk, 0) for name, numbers in per_country.items()},
            }
            for country in Country.objects.published().order_by("name")
        ]
        data = {"counts": counts, "known_eu_contribution": aggregates.known_contribution(), "countries": countries}
        return Response(StatsSerializer(data, context={"request": request}).data)


def _grouped(rows):
    return {row["country_id"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


class CountrySummaryView(APIView):
    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        tags=["statistics"],
        summary=_("A country's counts and known EU contribution"),
        description=CONTRIBUTION_RULE,
        parameters=[
            OpenApiParameter(
                "iso_code",
                str,
                OpenApiParameter.PATH,
                description=_("ISO 3166-1 alpha-2 code, case-insensitive, e.g. KZ."),
            )
        ],
        responses={200: CountrySummarySerializer, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "An example country (invented values)",
                response_only=True,
                value={
                    "country": {
                        "code": "XX",
                        "name": "Example country",
                        "url": "https://portal.example/api/v1/countries/XX/",
                    },
                    "counts": COUNTS_EXAMPLE,
                    "known_eu_contribution": CONTRIBUTION_EXAMPLE,
                },
            )
        ],
    )
    def get(self, request, iso_code):
        # Queries: the country, 3 counts, 2 for the projects' counts kept up to date and 4 for the
        # contribution (funding/summaries.py; none of these 6 while cached).
        country = get_object_or_404(Country.objects.published(), iso_code=iso_code.upper())
        seminars = Seminar.countries.through.objects.filter(country=country, seminar__publication_status=PUBLISHED)
        data = {
            "country": country_link(request, country),
            "counts": {
                "dialogue_rounds": DialogueRound.objects.published().filter(country=country).count(),
                "seminars": seminars.count(),
                "projects": aggregates.project_counts().get((country.pk, None), 0),
                "calls": Call.objects.published().filter(country=country).count(),
            },
            "known_eu_contribution": aggregates.known_contribution(country=country),
        }
        return Response(CountrySummarySerializer(data, context={"request": request}).data)


TOKEN_EXAMPLE = {"token": "0000000000000000000000000000000000000000", "expires": "2030-03-31T09:00:00Z"}


class TokenView(ObtainAuthToken):
    """An editor's API token, in exchange for the username and password (the admin's account); its
    dates, and its revocation, for its owner (dialogues_portal/tokens.py)."""

    http_method_names = ["get", "post", "delete", "options"]
    # ObtainAuthToken's own list, with the portal's JSON parser (nesting refused: a 400, not a 500)
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, PortalJSONParser)

    def get_permissions(self):
        # obtaining one needs only the password; seeing or revoking one, being its owner
        return [permissions.IsAuthenticated()] if self.request.method in ("GET", "DELETE") else []

    @extend_schema(
        tags=["authentication"],
        summary=_("Obtain your API token (editors)"),
        description=_(
            "Send it with every write as `Authorization: Token <token>`. It expires after a lifetime set "
            "by the portal (`expires`; 90 days unless configured otherwise): then it is refused with a 401, "
            "and this endpoint issues a new one. Until then it returns the same token. Administrators can "
            "also print or rotate a token with `manage.py api_token <username> [--rotate]`."
        ),
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}),
            400: validation_error(
                _("Wrong credentials or missing fields."),
                {"non_field_errors": ["Unable to log in with provided credentials."]},
            ),
            429: THROTTLED,
        },
        examples=[
            OpenApiExample("Credentials", request_only=True, value={"username": "editor", "password": "..."}),
            OpenApiExample("Token (an invented value)", response_only=True, value=TOKEN_EXAMPLE),
        ],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, _created = token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": token_expires_at(token)})

    @extend_schema(
        tags=["authentication"],
        summary=_("When your API token was issued and when it expires"),
        responses={
            200: inline_serializer(
                "TokenDates", {"created": serializers.DateTimeField(), "expires": serializers.DateTimeField()}
            ),
            401: UNAUTHENTICATED,
            404: error(_("You have no token."), "You have no API token."),
        },
    )
    def get(self, request, *args, **kwargs):
        token = Token.objects.filter(user=request.user).first()
        if token is None:
            raise NotFound(_("You have no API token."))
        return Response({"created": token.created, "expires": token_expires_at(token)})

    @extend_schema(
        tags=["authentication"],
        summary=_("Revoke your API token"),
        description=_("The token stops working at once; obtain a new one with your password (POST)."),
        responses={204: None, 401: UNAUTHENTICATED},
    )
    def delete(self, request, *args, **kwargs):
        token_revoke(user=request.user)
        return Response(status=204)
