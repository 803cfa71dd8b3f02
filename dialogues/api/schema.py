"""The documented shapes of API errors, and the responses each kind of operation may give."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers

from ..filtersets import CodeListFilter
from ..plain_text import FORBIDDEN as FORBIDDEN_CHARACTERS
from ..plain_text import validate_plain_text

# The FilterSets are shared with the pages and stay framework-neutral; the schema learns here that a
# code-list filter takes strings (ISO codes or slugs; repeated or comma-separated; an empty one is no filter).
extend_schema_field({"type": "string"})(CodeListFilter)


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
        {"type": "array", "items": {"type": "string"}} if many else type_,  # an empty value: no filter
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


# A writable text refuses control and text-direction characters (plain_text.py): the same class of
# characters, negated, as the schema's pattern (escaped, so that the schema holds none of them).
_ESCAPED = "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in FORBIDDEN_CHARACTERS.pattern[1:-1])
PLAIN_TEXT_PATTERN = f"^[^{_ESCAPED}]*$"

RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": _("Seconds to wait before trying again.")}}
ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": _("The record's stored version: send it back as If-Match on a write (412 if it changed)."),
    }
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "schema": {"type": "string"},
    "description": _(
        "The ETag of the version the change starts from (from a GET of the record): the write is refused "
        "with 412 if the record changed since. Without it the write is accepted, as before."
    ),
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with what the views do not say one by one: anonymous reads,
    the plain-text rule of writable texts, and the responses any request may meet (a rate limit, a
    body or URL too large, the database away), each in the documented error shape."""

    def get_auth(self):
        auths = super().get_auth()
        checks = self.view.get_permissions()
        anonymous_reads = any(isinstance(check, permissions.DjangoModelPermissionsOrAnonReadOnly) for check in checks)
        if (not checks or (anonymous_reads and self.method in permissions.SAFE_METHODS)) and {} not in auths:
            auths.append({})  # credentials optional: anyone reads published records (or obtains a token)
        return auths

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and validate_plain_text in getattr(field, "validators", ()):
            schema.setdefault("pattern", PLAIN_TEXT_PATTERN)  # a slug's own pattern is stricter
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            self._add_common_responses(operation)
        return operation

    def _error(self, description, schema=None, headers=None):
        schema = schema or self.resolve_serializer(ErrorSerializer, "response").ref
        response = {"content": {"application/json": {"schema": schema}}, "description": str(description)}
        if headers:
            response["headers"] = headers
        return response

    def _add_common_responses(self, operation):
        responses = operation["responses"]
        writes = "requestBody" in operation
        common = {
            "400": self._error(_("The request is invalid (see the messages)."), VALIDATION_ERROR_SCHEMA),
            "401": self._error(UNAUTHENTICATED.description),
            "413": self._error(_("The request body is larger than the portal reads (5 MB).")) if writes else None,
            "414": {
                "content": {"text/html": {"schema": {"type": "string"}}},
                "description": _(
                    "The URL is longer than the server reads (gunicorn's limit_request_line): answered by "
                    "gunicorn before the portal sees the request, in HTML."
                ),
            },
            "415": self._error(UNSUPPORTED.description) if writes else None,
            "429": self._error(THROTTLED.description, headers=RETRY_AFTER),
            "503": self._error(_("The database does not answer: try again later."), headers=RETRY_AFTER),
        }
        if "{" in self.path:
            common["404"] = self._error(NOT_FOUND.description)
        elif any(parameter.get("name") == "page" for parameter in operation.get("parameters", ())):
            common["404"] = self._error(_("No such page: past the last one."))
        if self.method not in permissions.SAFE_METHODS or {} not in operation.get("security", [{}]):
            common["403"] = self._error(FORBIDDEN.description)  # a write, or a read for editors only
        for code, response in common.items():
            if response is not None:
                responses.setdefault(code, response)
        if "429" in responses:
            responses["429"].setdefault("headers", RETRY_AFTER)
        self._add_versions(operation)

    def _add_versions(self, operation):
        """A publishable record's detail names its version (ETag); a write may start from one
        (If-Match, 412 otherwise), and an Editor's change to a published record waits for review (202)."""
        from .views import PublishableViewSet  # the views import this module

        action = getattr(self.view, "action", None)
        if not isinstance(self.view, PublishableViewSet) or action not in {
            "retrieve",
            "update",
            "partial_update",
            "destroy",
        }:
            return
        responses = operation["responses"]
        if "200" in responses:
            responses["200"].setdefault("headers", {}).update(ETAG)
        if action == "retrieve":
            return
        operation.setdefault("parameters", []).append(IF_MATCH)
        responses["412"] = self._error(
            _("If-Match names another version: the record changed since it was read. Read it again.")
        )
        if action != "destroy":
            responses.setdefault(
                "409", self._error(_("The change conflicts with the record's state (see the message)."))
            )
            responses["202"] = {
                "content": {"application/json": {"schema": self._pending_revision_schema()}},
                "description": str(
                    _(
                        "The record is published and you may not publish it: the change waits for a "
                        "Publisher's review (the pending revision, its URL also in Location); the record "
                        "is unchanged."
                    )
                ),
            }

    def _pending_revision_schema(self):
        from revisions.api import RevisionSerializer  # revisions' views build on this module's

        return self.resolve_serializer(RevisionSerializer, "response").ref
