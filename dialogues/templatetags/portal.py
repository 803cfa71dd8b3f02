"""Presentation of facts, one filter each: partial dates, EUR amounts, unknown values.

Templates never format a date or an amount by hand: `{{ round.held|partial_date }}`,
`{{ project.eu_contribution_eur|eur }}`, `{{ seminar.city|or_unknown }}`.
"""

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from dialogues.partial_dates import PartialDate

register = template.Library()


def unknown():
    return _("unknown")


@register.filter
def partial_date(value):
    """ "June 2008", "2019" or "15 June 2008", as precisely as the source gives it; else "unknown"."""
    if value is None or value == "":
        return unknown()
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


@register.filter
def eur(value):
    """An amount in euros with thousands separators ("€670,000"); None is "unknown", never 0."""
    if value is None or value == "":
        return unknown()
    amount = Decimal(value)
    decimals = 0 if amount == amount.to_integral_value() else 2
    formatted = number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return _("€%(amount)s") % {"amount": formatted}


@register.filter
def or_unknown(value):
    if value is None or value == "":
        return unknown()
    return value


@register.filter
def get_item(mapping, key):
    """`{{ counts|get_item:code }}`: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def published_only(records):
    """Keep the published ones of related records a queryset could not filter (e.g. a FK)."""
    return [record for record in records if getattr(record, "is_published", False)]


@register.filter
def published_one(record):
    """A single related record as a list, empty when it is missing or a draft."""
    return [record] if getattr(record, "is_published", False) else []
