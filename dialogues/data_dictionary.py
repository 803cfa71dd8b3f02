"""The data dictionary of an export: one entry per column, read from the export's own column
declarations (exports.py) and the model's fields, so that it cannot say other than the files do."""

from dataclasses import dataclass

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .exports import Codes, Date, RowCodes, Value, field_at
from .partial_dates import DatePrecision


@dataclass(frozen=True)
class Entry:
    column: str
    meaning: str
    values: str  # what the column holds: "text", "a number", "one of: ...", ...


def dictionary(export_view):
    """The entries of `export_view`'s columns, in the order of its files' columns."""
    model = export_view.model
    entries = [Entry("id", _("The record's identifier in the portal and the API."), _("a whole number"))]
    for column in export_view.columns:
        entries += _describe(column, model)
    entries.append(Entry("url", _("The record's public page."), _("a web address")))
    return entries


def _describe(column, model):
    if isinstance(column, Date):
        return _date(column, model)
    if isinstance(column, Codes):
        return _codes(column, model)
    if isinstance(column, RowCodes):
        return [_row_codes(column, model)]
    if isinstance(column, Value):
        return [_value(column, model)]
    raise TypeError(f"no dictionary entry for {column!r}")  # a new kind of column needs its words here


def _value(column, model):
    *relations, _name = column.path.split("__")
    field = field_at(model, column.path)
    meaning = capfirst(field.verbose_name)
    if relations:  # "country__name": the country's name
        related = model._meta.get_field(relations[0])
        meaning = _("%(relation)s: %(field)s") % {
            "relation": capfirst(related.verbose_name),
            "field": field.verbose_name,
        }
    elif field.is_relation:  # "call_id"
        meaning = _("%(relation)s: its identifier") % {"relation": capfirst(field.verbose_name)}
    if field.help_text:
        meaning = f"{meaning}. {field.help_text}"
    # blank too where the relation is empty or not published (published_via)
    blank = column.blank_as_none or field.null or bool(relations) or bool(column.published_via)
    return Entry(column.header, meaning, _values(field, blank=blank))


def _values(field, *, blank):
    if field.choices:
        held = _("one of: %(choices)s") % {"choices": ", ".join(str(value) for value, _label in field.choices)}
    elif isinstance(field, models.DecimalField):
        held = _("an amount in EUR, with a decimal point")
    elif isinstance(field, models.DateTimeField):
        held = _("a date and time, ISO 8601 (2024-01-02T03:04:05+00:00)")
    elif isinstance(field, models.DateField):
        held = _("a date, YYYY-MM-DD")
    elif isinstance(field, (models.IntegerField, models.AutoField)) or field.is_relation:
        held = _("a whole number")
    else:
        held = _("text")
    return _("%(values)s; blank when unknown") % {"values": held} if blank else held


def _date(column, model):
    field = model._meta.get_field(column.field)
    precisions = ", ".join(DatePrecision.values)
    return [
        Entry(
            column.header,
            _("%(field)s, as precise as the sources give it (never a full date they do not state).")
            % {"field": capfirst(field.verbose_name)},
            _("text: YYYY, YYYY-MM or YYYY-MM-DD; blank when unknown"),
        ),
        Entry(
            f"{column.header}_precision",
            _("The precision of %(column)s.") % {"column": column.header},
            _("one of: %(choices)s; blank when unknown") % {"choices": precisions},
        ),
    ]


def _codes(column, model):
    relation = model._meta.get_field(column.relation)
    target = relation.related_model._meta.get_field(column.code)
    entries = [
        Entry(
            column.header,
            _("%(relation)s (their %(field)s), published ones only.")
            % {"relation": capfirst(relation.verbose_name), "field": target.verbose_name},
            _("text: several joined by ;"),
        )
    ]
    if column.names:
        entries.append(
            Entry(
                column.names_header,
                _("The names of %(column)s, in the same order.") % {"column": column.header},
                _("text: several joined by ;"),
            )
        )
    return entries


def _row_codes(column, model):
    relation = model._meta.get_field(column.relation)
    field = relation.related_model._meta.get_field(column.code)
    meaning = _("%(relation)s (their %(field)s), as the record states them.") % {
        "relation": capfirst(relation.related_model._meta.verbose_name_plural),
        "field": field.verbose_name,
    }
    return Entry(column.header, meaning, _("text: several joined by ; (blank when none)"))
