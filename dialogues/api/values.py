"""List responses built from plain values: a page of `values()` rows and one query per
many-to-many relation, never model instances (building them cost a listing more than its SQL).

The list serializer stays the one declaration of the representation (and of the schema, the
writes and the detail): a `ValuesReader` is derived from its bound fields, each read the way DRF
would read it. Plain model fields go through the DRF field's own `to_representation`; URLs through
the per-request templates of fields.py; fields that read values (`fields.ReadsValues`: partial
dates, references, places) through the same `represent_values` their instance path uses, with a
single related record's draft rule (`ReferenceField.get_attribute`) and each many relation's
rows and order taken from the listing's own prefetch querysets (`for_listing()`).

A serializer with a field no reader here supports raises `Unsupported` and its listing keeps
DRF's path; tests/test_api_values.py names the listings that must be on this one.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from rest_framework.fields import Field
from rest_framework.relations import (
    HyperlinkedIdentityField,
    HyperlinkedRelatedField,
    ManyRelatedField,
    RelatedField,
)

from ..publishing import PublicationStatus, PublishableModel
from .fields import ReadsValues, ReferenceField, may_see_drafts, url_template


class Unsupported(Exception):
    """A list serializer field no reader supports: the listing keeps DRF's path."""


class ValuesReader:
    """The list representation of `queryset`'s records, read from rows: `rows()` is the queryset
    to paginate, `represent()` turns a page of its rows into the serializer's output."""

    def __init__(self, serializer, queryset):
        prefetches = {
            lookup.prefetch_to: lookup.queryset
            # What the instance path prefetches, and so what its many relations hold.
            for lookup in queryset._prefetch_related_lookups
            if isinstance(lookup, Prefetch)
        }
        self.readers = [
            (name, reader_for(field, queryset.model, prefetches))
            for name, field in serializer.fields.items()
            if not field.write_only
        ]
        self.paths = ["pk", *(path for _, reader in self.readers for path in reader.paths)]

    def rows(self, queryset, *more_paths):
        """`queryset` as rows holding what the fields read (and `more_paths`, e.g. a cursor's key)."""
        return queryset.prefetch_related(None).values(*dict.fromkeys([*self.paths, *more_paths]))

    def represent(self, rows):
        rows = list(rows)
        if rows:
            ids = [row["pk"] for row in rows]
            for _, reader in self.readers:
                reader.fetch(ids)
        readers = [(name, reader.read) for name, reader in self.readers]
        return [{name: read(row) for name, read in readers} for row in rows]


def reader_for(field, model, prefetches):
    kind = type(field)
    if isinstance(field, HyperlinkedIdentityField) and (kind.get_url, kind.to_representation) == (
        HyperlinkedRelatedField.get_url,
        HyperlinkedRelatedField.to_representation,
    ):
        return IdentityUrl(field)
    if field.source == "*":
        if isinstance(field, ReadsValues):
            return RecordValues(field)
        raise Unsupported(f"{field.field_name}: {kind.__name__} reads the whole record")
    if len(field.source_attrs) != 1:
        raise Unsupported(f"{field.field_name}: the dotted source {field.source}")
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        raise Unsupported(f"{field.field_name}: {field.source} is not a field of {model.__name__}") from None
    item = field.child_relation if isinstance(field, ManyRelatedField) else field
    if model_field.many_to_many and not model_field.auto_created and isinstance(item, ReadsValues):
        return RelatedRecords(field, item, model_field, prefetches)
    if model_field.many_to_one and model_field.concrete and kind.get_attribute is ReferenceField.get_attribute:
        return RelatedRecord(field, model_field)
    if (
        model_field.concrete
        and not model_field.is_relation
        and not isinstance(field, RelatedField | ManyRelatedField | ReadsValues)
        and kind.get_attribute is Field.get_attribute
    ):
        return PlainValue(field)
    raise Unsupported(f"{field.field_name}: {kind.__name__} of {model.__name__}.{field.source}")


class Reader:
    paths = ()  # what the reader needs of each row, as values() paths

    def fetch(self, ids):
        """Load what the rows do not hold, for the page's records `ids` (one query, or none)."""

    def read(self, row):
        raise NotImplementedError


class PlainValue(Reader):
    """A model field, as DRF shows it: None stays None, anything else goes through the field."""

    def __init__(self, field):
        self.path = field.source
        self.paths = (self.path,)
        self.represent = field.to_representation

    def read(self, row):
        value = row[self.path]
        return None if value is None else self.represent(value)


class IdentityUrl(Reader):
    """The record's own URL (HyperlinkedIdentityField) from the request's URL template."""

    def __init__(self, field):
        self.context, self.view_name, self.url_kwarg = field.context, field.view_name, field.lookup_url_kwarg
        self.path = field.lookup_field
        self.paths = (self.path,)

    def read(self, row):
        return url_template(self.context, self.view_name, self.url_kwarg, row[self.path])


class RecordValues(Reader):
    """A field made of values of the record itself, e.g. a partial date."""

    def __init__(self, field):
        self.paths = field.read_paths()
        self.from_values = field.represent_values

    def read(self, row):
        return self.from_values(*[row[path] for path in self.paths])


class RelatedRecord(Reader):
    """A foreign key's record, read through the row's join; a draft reads as null for those who
    may not see drafts of its model, as ReferenceField.get_attribute has it."""

    def __init__(self, field, model_field):
        related = model_field.related_model
        prefix = f"{field.source}__"
        self.key_path = f"{prefix}pk"
        self.value_paths = [prefix + path for path in field.read_paths()]
        self.hide_drafts = issubclass(related, PublishableModel) and not may_see_drafts(
            field.context.get("request"), related
        )
        self.status_path = f"{prefix}publication_status" if self.hide_drafts else None
        self.paths = (self.key_path, *self.value_paths, *([self.status_path] if self.hide_drafts else []))
        self.from_values = field.represent_values

    def read(self, row):
        if row[self.key_path] is None:
            return None
        if self.hide_drafts and row[self.status_path] != PublicationStatus.PUBLISHED:
            return None
        return self.from_values(*[row[path] for path in self.value_paths])


class RelatedRecords(Reader):
    """A many-to-many relation: the records the listing's prefetch would hold (its queryset's
    filter and order, e.g. published sources by title), read as values in one query for a page."""

    def __init__(self, field, item, model_field, prefetches):
        # Without a prefetch, DRF's path reads `relation.all()`: the related default manager's.
        self.queryset = prefetches.get(field.source, model_field.related_model._default_manager.all())
        self.record = model_field.related_query_name()  # from the related record back to ours
        self.value_paths = item.read_paths()
        self.from_values = item.represent_values
        self.by_record = {}

    def fetch(self, ids):
        rows = self.queryset.filter(**{f"{self.record}__in": ids}).values_list(self.record, *self.value_paths)
        by_record = self.by_record = {}
        from_values = self.from_values
        for record_id, *values in rows:
            by_record.setdefault(record_id, []).append(from_values(*values))

    def read(self, row):
        return self.by_record.get(row["pk"], [])
