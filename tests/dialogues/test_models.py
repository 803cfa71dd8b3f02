import datetime

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import translation

from dialogues.models import Country, DialogueRound
from dialogues.partial_dates import PartialDate
from funding.models import Project
from tests.factories import make_country, make_programme, make_project, make_round, make_topic

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        callable_()


def test_partial_dates_print_as_precisely_as_the_source_gives_them():
    with translation.override("en"):
        assert str(PartialDate.of(datetime.date(2008, 6, 1), "month")) == "June 2008"
        assert str(PartialDate.of(datetime.date(2019, 1, 1), "year")) == "2019"
        assert str(PartialDate.of(datetime.date(2010, 1, 13), "day")) == "13 January 2010"  # the site's British style
    assert PartialDate.of(datetime.date(2008, 6, 1), "month").isoformat() == "2008-06"
    assert PartialDate.of(None, "") is None


def test_partial_dates_print_in_russian():
    with translation.override("ru"):
        assert str(PartialDate.of(datetime.date(2008, 6, 1), "month")) == "Июнь 2008 г."


def test_saving_a_partial_date_keeps_no_invented_day():
    record = make_round(held_on=datetime.date(2008, 6, 17), held_on_precision="month")
    record.refresh_from_db()
    assert record.held_on == datetime.date(2008, 6, 1)
    assert str(record.held) == "June 2008"


def test_database_refuses_a_lower_case_or_long_iso_code():
    country = make_country("KZ")
    refused(lambda: Country.objects.filter(pk=country.pk).update(iso_code="kz"))
    refused(lambda: Country.objects.filter(pk=country.pk).update(iso_code="KZZ"))


def test_database_refuses_duplicate_codes_and_slugs():
    make_country("KZ", slug="kazakhstan", name="Kazakhstan")
    refused(lambda: Country.objects.create(iso_code="KZ", name="Other", slug="other"))
    refused(lambda: Country.objects.create(iso_code="KG", name="Other", slug="kazakhstan"))
    make_topic(slug="rule-of-law", name="Rule of law")
    refused(lambda: make_topic(slug="rule-of-law", name="Another"))


def test_database_refuses_a_date_without_precision_and_a_precision_without_date():
    project = make_project()
    refused(lambda: Project.objects.filter(pk=project.pk).update(starts_on=datetime.date(2010, 1, 1)))
    refused(lambda: Project.objects.filter(pk=project.pk).update(ends_on_precision="year"))


def test_database_refuses_negative_amounts_and_an_end_before_the_start():
    project = make_project(starts_on=datetime.date(2010, 1, 1), starts_on_precision="month")
    refused(lambda: Project.objects.filter(pk=project.pk).update(eu_contribution_eur=-1))
    refused(
        lambda: Project.objects.filter(pk=project.pk).update(
            ends_on=datetime.date(2009, 12, 1), ends_on_precision="month"
        )
    )
    refused(lambda: Project.objects.filter(pk=project.pk).update(duration_months=0))
    refused(lambda: make_programme(envelope_eur=-5))


def test_unknown_amount_stays_null_not_zero():
    project = make_project()
    project.refresh_from_db()
    assert project.eu_contribution_eur is None


def test_database_refuses_two_rounds_with_the_same_sequence_number():
    country = make_country()
    make_round(country=country, sequence_number=1)
    refused(
        lambda: DialogueRound.objects.create(
            country=country,
            held_on=datetime.date(2010, 1, 1),
            held_on_precision="year",
            format="structured",
            sequence_number=1,
        )
    )
    # an unnumbered round is always allowed
    make_round(country=country, sequence_number=None)
    make_round(country=country, sequence_number=None)


def test_published_hides_drafts():
    published = make_project()
    make_project(publication_status="draft")
    assert list(Project.objects.published()) == [published]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["00", "K1", "-Z"])
def test_the_database_refuses_a_country_code_that_is_not_two_capital_letters(code):
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.bulk_create([Country(iso_code=code, name="Nowhere", slug="nowhere")])


@pytest.mark.django_db
def test_the_database_refuses_a_slug_that_differs_only_in_case():
    make_topic(slug="rule-of-law")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_topic(slug="RULE-of-law")
