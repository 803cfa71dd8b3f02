"""The documented shapes of API errors, and the responses each kind of operation may give."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from ..filtersets import CodeListFilter

# The FilterSets are shared with the pages and stay framework-neutral; the schema learns here that a
# code-list filter takes strings (ISO codes or slugs; repeated or comma-separated).
extend_schema_field({"type": "string", "minLength": 1})(CodeListFilter)


class ErrorSerializer(serializers.Serializer):
    """401, 403, 404, 409 and 429: one message."""

    detail = serializers.CharField()


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "A list of messages per field or parameter name; `non_field_errors` for the whole record. "
        "A body that cannot be read at all (malformed JSON) gives `detail` instead."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def error(description, example_detail):
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[OpenApiExample(description, value={"detail": example_detail}, response_only=True)],
    )


def validation_error(description, example):
    return OpenApiResponse(
        VALIDATION_ERROR_SCHEMA,
        description=description,
        examples=[OpenApiExample("Field-level errors", value=example, response_only=True)],
    )


UNAUTHENTICATED = error(
    _("The token or session is missing (on a write) or invalid."), "Authentication credentials were not provided."
)
FORBIDDEN = error(
    _("You lack the model permission for this action."), "You do not have permission to perform this action."
)
NOT_FOUND = error(_("No such record, or not published."), "No Project matches the given query.")
THROTTLED = error(
    _("Too many requests: anonymous clients are rate-limited."),
    "Request was throttled. Expected available in 42 seconds.",
)
UNSUPPORTED = error(
    _("The body is not JSON (send Content-Type: application/json)."), 'Unsupported media type "text/plain" in request.'
)
CONFLICT = error(
    _("Other records still refer to this one."), "Other records still refer to this one: remove those links first."
)
BAD_FILTER = validation_error(
    _("A filter or pagination parameter is invalid; nothing is returned rather than the whole table."),
    {
        "country": ["Select a valid choice. XX is not one of the available choices."],
        "year_from": ["Enter a whole number."],
    },
)
BAD_RECORD = validation_error(
    _("The record is invalid (the same rules as the admin); nothing was written."),
    {"title": ["This field is required."], "held": ['The precision "day" does not match the date "2008-06".']},
)


def _filter(name, type_, description, *examples, many=False):
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", "minLength": 1}} if many else type_,
        OpenApiParameter.QUERY,
        description=description,
        explode=True if many else None,
        examples=[OpenApiExample(label, value=value) for label, value in examples],
    )


# The shared filters' parameters, documented once with examples (their names are a public contract).
FILTER_PARAMETERS = {
    "country": _filter(
        "country",
        str,
        _("ISO code(s), case-insensitive: repeated (`country=KZ&country=KG`) or comma-separated (`KZ,KG`)."),
        ("Kazakhstan", ["KZ"]),
        ("Kazakhstan and Kyrgyzstan", ["KZ,KG"]),
        many=True,
    ),
    "topic": _filter(
        "topic",
        str,
        _("Topic slug(s), repeated or comma-separated."),
        ("Freedom of expression", ["freedom-of-expression"]),
        many=True,
    ),
    "programme": _filter(
        "programme", str, _("Programme slug(s), repeated or comma-separated."), ("EIDHR", ["eidhr"]), many=True
    ),
    "year_from": _filter("year_from", int, _("From this year on (1950–2100)."), ("From 2010", 2010)),
    "year_to": _filter("year_to", int, _("Up to this year (1950–2100)."), ("Up to 2015", 2015)),
    "min_amount": _filter(
        "min_amount",
        float,
        _("At least this many EUR (records of unknown amount are left out)."),
        ("100,000 EUR", 100000),
    ),
    "max_amount": _filter(
        "max_amount",
        float,
        _("At most this many EUR (records of unknown amount are left out)."),
        ("1 million EUR", 1000000),
    ),
    "q": _filter("q", str, _("Words to find; full-text search with stemming on PostgreSQL."), ("Torture", "torture")),
}


def filter_parameters(filterset_class):
    return [FILTER_PARAMETERS[name] for name in filterset_class.base_filters if name in FILTER_PARAMETERS]


READ_ERRORS = {401: UNAUTHENTICATED, 404: NOT_FOUND, 429: THROTTLED}
WRITE_ERRORS = {400: BAD_RECORD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 415: UNSUPPORTED, 429: THROTTLED}


def document_resource(
    *, plural, singular, list_serializer, detail_serializer, filterset, list_examples=(), create_examples=()
):
    """extend_schema_view for a resource's list, detail and write operations."""
    tag = plural
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            summary=_("List %(plural)s") % {"plural": plural},
            description=_(
                "Published %(plural)s (drafts too for editors), filtered and sorted by the parameters below, "
                "paginated: 50 a page by default, `page_size` up to 500. An invalid parameter gives 400."
            )
            % {"plural": plural},
            parameters=filter_parameters(filterset),
            responses={200: list_serializer(many=True), 400: BAD_FILTER, **READ_ERRORS},
            examples=list(list_examples),
        ),
        retrieve=extend_schema(
            tags=[tag],
            summary=_("One %(singular)s") % {"singular": singular},
            responses={200: detail_serializer, **READ_ERRORS},
        ),
        create=extend_schema(
            tags=[tag],
            summary=_("Create a %(singular)s (editors)") % {"singular": singular},
            description=_(
                "Needs the add permission (group Editors). The record starts as a draft; only a user with "
                "the publish permission (group Publishers) may set `publication_status`, and a published "
                "record must cite a source."
            ),
            request=detail_serializer,
            responses={201: detail_serializer, **WRITE_ERRORS},
            examples=list(create_examples),
        ),
        update=extend_schema(
            tags=[tag],
            summary=_("Replace a %(singular)s (editors)") % {"singular": singular},
            request=detail_serializer,
            responses={200: detail_serializer, **WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            tags=[tag],
            summary=_("Change some fields of a %(singular)s (editors)") % {"singular": singular},
            request=detail_serializer,
            responses={200: detail_serializer, **WRITE_ERRORS},
        ),
        destroy=extend_schema(
            tags=[tag],
            summary=_("Delete a %(singular)s (publishers)") % {"singular": singular},
            responses={204: None, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED},
        ),
    )
