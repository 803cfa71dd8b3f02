"""Dates as precise as the sources give them: a day, a month or only a year.

A date is stored in a DateField holding the first day of its period, beside a precision. It is
shown the way the source gives it ("June 2008", "2019"), never with an invented day.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


@dataclass(frozen=True, order=True)
class PartialDate:
    date: datetime.date
    precision: str

    @classmethod
    def of(cls, date, precision):
        """The partial date for a stored pair, or None when the date is unknown."""
        if date is None:
            return None
        return cls(truncate(date, precision), precision)

    @property
    def year(self):
        return self.date.year

    def __str__(self):
        if self.precision == DatePrecision.YEAR:
            return str(self.date.year)
        if self.precision == DatePrecision.MONTH:
            return date_format(self.date, "YEAR_MONTH_FORMAT")
        return date_format(self.date, "DATE_FORMAT")

    def isoformat(self):
        """ISO 8601 at the stated precision: "2008", "2008-06" or "2008-06-15"."""
        full = self.date.isoformat()
        return {DatePrecision.YEAR: full[:4], DatePrecision.MONTH: full[:7]}.get(self.precision, full)


def truncate(date, precision):
    """The first day of the period a partial date names."""
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    return date


class PartialDateProperty:
    """`round.held` -> PartialDate from the `held_on` and `held_on_precision` fields."""

    def __init__(self, field_name):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return PartialDate.of(getattr(instance, self.field_name), getattr(instance, f"{self.field_name}_precision"))


def precision_field(verbose_name):
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        default="",
        help_text=_("How precisely the source gives the date: a day, a month or only a year."),
    )


def precision_constraint(model_label, field_name):
    """A date has a precision exactly when it is known."""
    return models.CheckConstraint(
        condition=(
            Q(**{f"{field_name}__isnull": True, f"{field_name}_precision": ""})
            | (Q(**{f"{field_name}__isnull": False}) & ~Q(**{f"{field_name}_precision": ""}))
        ),
        name=f"{model_label}_{field_name}_precision_iff_date",
    )


def normalise_partial_dates(instance, *field_names):
    """Store each date as the first day of its period, so sorting and year filters are exact."""
    for name in field_names:
        precision = getattr(instance, f"{name}_precision")
        setattr(instance, name, truncate(getattr(instance, name), precision))


def parse_partial_date(text):
    """(first day, precision) of "2008", "2008-06" or "2008-06-13"; ValueError for anything else.

    The one parser of partial dates: the record loader, the spreadsheet import and the admin's
    date fields all read them here.
    """
    text = text.strip()
    parts = text.split("-")
    try:
        if (
            not 1 <= len(parts) <= 3
            or len(parts[0]) != 4
            or not all(part.isascii() and part.isdigit() for part in parts)
        ):
            raise ValueError
        year, month, day = (int(part) for part in [*parts, "1", "1"][:3])
        date = datetime.date(year, month, day)  # ValueError for a month 13 or a 30 February
    except ValueError:
        raise ValueError(
            gettext("“%(value)s” is not a date: give a year (2010), a month (2010-01) or a day (2010-01-13).")
            % {"value": text}
        ) from None
    return date, (DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY)[len(parts) - 1]
