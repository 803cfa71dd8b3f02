"""The presentation filters: partial dates, EUR amounts, unknown values."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from dialogues.partial_dates import PartialDate
from dialogues.templatetags.portal import eur, or_unknown, partial_date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_partial_date_prints_as_precisely_as_the_source():
    assert partial_date(PartialDate(datetime.date(2008, 6, 1), "month")) == "June 2008"
    assert partial_date(PartialDate(datetime.date(2019, 1, 1), "year")) == "2019"
    assert partial_date(None) == "unknown"


def test_amount_has_thousands_separators_and_unknown_is_never_zero():
    assert eur(Decimal("670000.00")) == "€670,000"
    assert eur(Decimal("1234.50")) == "€1,234.50"
    assert eur(Decimal("0")) == "€0"
    assert eur(None) == "unknown"


def test_amount_and_dates_in_russian():
    with translation.override("ru"):
        assert eur(None) == "неизвестно"
        assert "670" in eur(Decimal("670000"))
        assert "€" in eur(Decimal("670000"))
        assert partial_date(PartialDate(datetime.date(2008, 6, 1), "month")) == "Июнь 2008 г."


def test_or_unknown():
    assert or_unknown("") == "unknown"
    assert or_unknown("Almaty") == "Almaty"
