"""Serializer fields every API resource shares: partial dates and references to related records.

A reference reads as an object (stable identifier, name, API URL) and is written as the bare
identifier: an ISO code for a country, a slug for a topic or programme, an id for the rest.
Fields whose read shape is made of a few values of a record (`ReadsValues`) build it from those
values alone, so that list responses can read them from `values()` rows (values.py).
"""

import datetime
import re
from collections.abc import Mapping
from types import SimpleNamespace

from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import MANY_RELATION_KWARGS

from ..models import DialogueRound, Place
from ..partial_dates import DatePrecision, PartialDate
from ..publishing import PublicationStatus, PublishableModel

PLACEHOLDERS = {int: 918273645, str: "zz-placeholder-zz"}


def url_template(context, view_name, url_kwarg, value):
    """The absolute URL of `view_name` for `value`, from a template reversed once per request and
    view: reverse() and build_absolute_uri() for every related record of every row cost a listing
    more than its SQL. Each URL is kept for the request too: a page names the same few countries,
    topics and sources again and again."""
    urls = context.get("_urls")
    if urls is None:
        urls = context["_urls"] = {}
    url = urls.get((view_name, url_kwarg, value))
    if url is not None:
        return url
    templates = context.setdefault("_url_templates", {})
    key = (view_name, url_kwarg, type(value))
    if key not in templates:
        placeholder = str(PLACEHOLDERS.get(type(value), PLACEHOLDERS[str]))
        path = reverse(view_name, kwargs={url_kwarg: placeholder})
        request = context.get("request")
        templates[key] = (request.build_absolute_uri(path) if request is not None else path).split(placeholder)
    prefix, suffix = templates[key]
    url = urls[(view_name, url_kwarg, value)] = f"{prefix}{escape_uri_path(str(value))}{suffix}"
    return url


def value_at(obj, path):
    """The value a `values()` path names, read from an instance: "country__iso_code" is
    `obj.country.iso_code`."""
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


class ReadsValues:
    """A field whose read shape is a function of some values of a record: `value_paths()` names
    them as `values()` paths (from the record the field's source names, or from the serialized
    record itself when the source is "*"), `from_values(*values)` builds the shape from them.

    The instance path goes through `from_values` too: the list responses built from rows
    (values.py) and DRF's path cannot drift apart.
    """

    def value_paths(self):
        raise NotImplementedError

    def from_values(self, *values):
        raise NotImplementedError

    def read_paths(self):
        """What the representation reads: `value_paths()`, and what the field adds to every shape
        (a reference's publication status, for those who see drafts)."""
        return tuple(self.value_paths())

    def represent_values(self, *values):
        """The read shape, from the values `read_paths()` names."""
        return self.from_values(*values)

    def values_of(self, obj):
        return [value_at(obj, path) for path in self.read_paths()]


def partial_date(date, precision):
    """A stored (date, precision) pair as the API shows it."""
    value = PartialDate.of(date, precision)
    if value is None:
        return None
    return {"date": value.isoformat(), "precision": value.precision}


PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_PRECISION_BY_LENGTH = {4: DatePrecision.YEAR, 7: DatePrecision.MONTH, 10: DatePrecision.DAY}

PARTIAL_DATE_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": (
        "A date as precise as the sources give it. `date` is ISO 8601 at that precision: "
        '"2008", "2008-06" or "2008-06-15". On writes `precision` may be left out: the form of '
        "`date` gives it. null when unknown."
    ),
    "properties": {
        "date": {"type": "string", "pattern": PARTIAL_DATE_PATTERN, "example": "2008-06"},
        "precision": {"type": "string", "enum": list(DatePrecision.values), "example": "month"},
    },
    "required": ["date"],
}


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class PartialDateField(ReadsValues, serializers.Field):
    """A stored (date, precision) pair as {"date": "2008-06", "precision": "month"}, or null."""

    default_error_messages = {
        "invalid": _('Expected null or an object with "date" ("YYYY", "YYYY-MM" or "YYYY-MM-DD") and "precision".'),
        "invalid_date": _("Not a valid date: %(value)s."),
        "precision_mismatch": _('The precision "%(precision)s" does not match the date "%(date)s".'),
    }

    def __init__(self, date_field, **kwargs):
        self.date_field = date_field
        self.precision_field = f"{date_field}_precision"
        kwargs["source"] = "*"
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def model_fields(self):
        return (self.date_field, self.precision_field)

    def value_paths(self):
        return self.model_fields()

    def from_values(self, date, precision):
        return partial_date(date, precision)

    def to_representation(self, instance):
        return self.from_values(*self.values_of(instance))

    def run_validation(self, data=serializers.empty):
        if data is serializers.empty:
            if getattr(self.root, "partial", False) or not self.required:
                raise SkipField()
            self.fail("required")
        return self.to_internal_value(data)

    def to_internal_value(self, data):
        if data is None:
            return {self.date_field: None, self.precision_field: ""}
        if not isinstance(data, dict) or not isinstance(data.get("date"), str):
            self.fail("invalid")
        text = data["date"]
        if not re.match(PARTIAL_DATE_PATTERN, text):
            self.fail("invalid")
        precision = _PRECISION_BY_LENGTH[len(text)]
        given = data.get("precision", precision)
        if given != precision:
            raise serializers.ValidationError(
                self.error_messages["precision_mismatch"] % {"precision": given, "date": text}
            )
        padded = text + {DatePrecision.YEAR: "-01-01", DatePrecision.MONTH: "-01"}.get(precision, "")
        try:
            date = datetime.date.fromisoformat(padded)
        except ValueError:
            raise serializers.ValidationError(self.error_messages["invalid_date"] % {"value": text}) from None
        return {self.date_field: date, self.precision_field: precision}


# The mark of a draft related record, shown to those who may change its model and to no one else.
DRAFT_MARK = "publication_status"
DRAFT_MARK_SCHEMA = {
    "type": "string",
    "enum": [PublicationStatus.DRAFT.value],
    "description": (
        "Present only on a draft related record, and only for a user who may change drafts of its "
        "model (the public never sees drafts)."
    ),
}


def may_see_drafts(request, model):
    user = getattr(request, "user", None)
    opts = model._meta
    return bool(user and user.is_active and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"))


class ReferenceField(ReadsValues, serializers.RelatedField):
    """A related record: read as {key, name, url}, written as the key alone.

    A single related record that is a draft reads as null for those who may not see drafts; for
    many related records the prefetch querysets (querysets.py) hold only published ones for them.
    Those who may change the related model see its drafts, marked `"publication_status": "draft"`
    (and only they: the public's shape has no such property), so that what an editor reads and
    sends back keeps every relation.
    A read shape with more properties declares them in `extra_properties` (for the schema) and
    builds them in `from_values` from the `value_paths` it adds.
    """

    view_name = None  # e.g. "api:country-detail"
    lookup_field = "pk"  # the model attribute that identifies the record in URLs and on writes
    url_kwarg = "pk"
    key = "id"
    key_type = "integer"
    label_attribute = "name"
    extra_properties = {}  # more properties of the read shape, for the schema

    default_error_messages = {
        "does_not_exist": _('No record with the identifier "{value}".'),
        "invalid": _("Expected an identifier (a string or a number)."),
    }

    def normalise(self, value):
        return value

    @classmethod
    def many_init(cls, *args, **kwargs):
        # RelatedField.many_init, with the list that refuses anything but a list
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return ReferenceList(**list_kwargs)

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if (
            isinstance(related, PublishableModel)
            and not related.is_published
            and not may_see_drafts(self.context.get("request"), type(related))
        ):
            return None
        return related

    def url_for(self, key):
        return url_template(self.context, self.view_name, self.url_kwarg, key)

    def marks_drafts(self):
        """Whether the user sees drafts of the related model (as its own endpoint shows them), each
        marked; worked out once per serializer."""
        marks = getattr(self, "_marks_drafts", None)
        if marks is None:
            model = self.queryset.model
            marks = self._marks_drafts = issubclass(model, PublishableModel) and may_see_drafts(
                self.context.get("request"), model
            )
        return marks

    def value_paths(self):
        return (self.lookup_field, self.label_attribute)

    def from_values(self, key, label):
        return {self.key: key, "name": str(label), "url": self.url_for(key)}

    def read_paths(self):
        paths = super().read_paths()
        return (*paths, "publication_status") if self.marks_drafts() else paths

    def represent_values(self, *values):
        if not self.marks_drafts():
            return self.from_values(*values)
        *values, status = values
        shape = self.from_values(*values)
        if status != PublicationStatus.PUBLISHED:
            shape[DRAFT_MARK] = status
        return shape

    def to_representation(self, obj):
        return self.represent_values(*self.values_of(obj))

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        value = self.normalise(str(data).strip())
        if "\x00" in value:  # PostgreSQL refuses NUL in text: a 500 rather than a 400 otherwise
            self.fail("invalid")
        if self.lookup_field == "pk" and not value.isdigit():
            self.fail("does_not_exist", value=value)
        try:
            return self.get_queryset().get(**{self.lookup_field: value})
        except (self.get_queryset().model.DoesNotExist, ValueError, TypeError, OverflowError):
            self.fail("does_not_exist", value=value)


class ReferenceList(serializers.ManyRelatedField):
    """Several related records, written as a list of identifiers. DRF's own accepts any iterable:
    `"sources": {}` read as an empty list and silently removed every source."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class ReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """Reads as an object, writes as the bare identifier."""

    target_class = ReferenceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if direction == "request":
            schema = {"type": field.key_type, "description": f"The {field.key} of the related record."}
            if field.key_type == "integer":
                schema["minimum"] = 1
            return schema
        schema = {
            "type": "object",
            "properties": {
                field.key: {"type": field.key_type},
                "name": {"type": "string"},
                **field.extra_properties,
                "url": {"type": "string", "format": "uri"},
                DRAFT_MARK: DRAFT_MARK_SCHEMA,
            },
            "required": [field.key, "name", "url"],
        }
        model = field.queryset.model if field.queryset is not None else None
        if model is not None and issubclass(model, PublishableModel):
            # a draft related record reads as null for the public (get_attribute), required or not
            schema["nullable"] = True
        return schema


class CountryReference(ReferenceField):
    view_name = "api:country-detail"
    lookup_field = url_kwarg = "iso_code"
    key = "code"
    key_type = "string"

    def normalise(self, value):
        return value.upper()


class TopicReference(ReferenceField):
    view_name = "api:topic-detail"
    lookup_field = url_kwarg = "slug"
    key = "slug"
    key_type = "string"

    def normalise(self, value):
        return value.lower()


class OrganisationReference(ReferenceField):
    view_name = "api:organisation-detail"


class DialogueRoundReference(ReferenceField):
    view_name = "api:dialogueround-detail"
    extra_properties = {"country": {"type": "string", "description": "ISO code"}}

    def value_paths(self):
        # country is select_related wherever a round is referenced (querysets.py)
        return (
            *("pk", "country__name", "country__publication_status", "held_on", "held_on_precision"),
            *("format", "sequence_number", "country__iso_code"),
        )

    def from_values(self, pk, country_name, country_status, held_on, held_on_precision, round_format, number, iso_code):
        # The round's name is DialogueRound.__str__'s, given what it reads.
        country = SimpleNamespace(name=country_name, is_published=country_status == PublicationStatus.PUBLISHED)
        held = PartialDate.of(held_on, held_on_precision)
        record = SimpleNamespace(country=country, held=held, format=round_format, sequence_number=number)
        name = DialogueRound.__str__(record)
        return {"id": pk, "name": str(name), "country": iso_code, "url": self.url_for(pk)}


class SourceReference(ReferenceField):
    view_name = "api:source-detail"
    label_attribute = "title"
    extra_properties = {
        "publisher": {"type": "string"},
        "published": PARTIAL_DATE_SCHEMA,
        "document_url": {"type": "string", "description": "Where the document is published; may be empty."},
    }

    def value_paths(self):
        return ("pk", "title", "publisher", "published_on", "published_on_precision", "url")

    def from_values(self, pk, title, publisher, published_on, published_on_precision, document_url):
        return {
            "id": pk,
            "name": title,
            "publisher": publisher,
            "published": partial_date(published_on, published_on_precision),
            "document_url": document_url,
            "url": self.url_for(pk),
        }


def place_name(name, iso_code):
    """A place (a city or region) as Place.__str__ names it, "Almaty (KZ)", from the two values it reads."""
    return str(Place.__str__(SimpleNamespace(name=name, country=SimpleNamespace(iso_code=iso_code))))
