"""The database guards what IATI files state (funding/iati/models.py, Project's IATI fields)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from funding.models import (
    ExchangeRate,
    IatiBudget,
    IatiTransaction,
    Project,
    ProjectCountryShare,
    ProjectSector,
    ProjectSourceKind,
    SectorTopic,
)

DAY = datetime.date(2025, 1, 1)


@pytest.fixture
def project(db):
    return Project.objects.create(title_en="Test project", source_kind=ProjectSourceKind.IATI, iati_identifier="XX-1")


def refused(create):
    # PostgreSQL refuses a value too long for its column before any check (a DataError)
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        create()


def transaction_row(project, **fields):
    values = {"transaction_type": 2, "value": 10, "currency": "EUR", "value_date": DAY, "transaction_date": DAY}
    return IatiTransaction.objects.create(project=project, **values | fields)


def budget_row(project, **fields):
    values = {
        "period_start": DAY,
        "period_end": DAY.replace(month=12),
        "value": 10,
        "currency": "EUR",
        "value_date": DAY,
    }
    return IatiBudget.objects.create(project=project, **values | fields)


def test_the_iati_identifier_is_unique_ignoring_case(project):
    refused(lambda: Project.objects.create(title_en="Other", source_kind="iati", iati_identifier="xx-1"))


def test_an_editorial_project_has_no_identifier_and_an_iati_one_has_one(db):
    refused(lambda: Project.objects.create(title_en="Editorial", iati_identifier="XX-2"))
    refused(lambda: Project.objects.create(title_en="IATI", source_kind="iati"))
    refused(lambda: Project.objects.create(title_en="Other", source_kind="other"))


def test_a_project_is_not_a_duplicate_or_parent_of_itself(project):
    refused(lambda: Project.objects.filter(pk=project.pk).update(duplicate_of=project.pk))
    refused(lambda: Project.objects.filter(pk=project.pk).update(iati_parent=project.pk))
    project.duplicate_of = project
    with pytest.raises(ValidationError, match="duplicate of itself"):
        project.clean()


def test_a_duplicate_points_to_the_kept_record_not_to_another_duplicate(project):
    kept = Project.objects.create(title_en="Kept")
    middle = Project.objects.create(title_en="Middle", duplicate_of=kept)
    project.duplicate_of = middle
    with pytest.raises(ValidationError, match="not to another duplicate"):
        project.clean()


@pytest.mark.parametrize("currency", ["eur", "EU", "EURO", "E1R", ""])
def test_a_currency_is_three_capital_letters(project, currency):
    refused(lambda: transaction_row(project, currency=currency))
    refused(lambda: budget_row(project, currency=currency))


def test_a_transaction_is_a_commitment_disbursement_or_expenditure(project):
    for kept in (2, 3, 4):
        transaction_row(project, transaction_type=kept)
    refused(lambda: transaction_row(project, transaction_type=1))
    refused(lambda: transaction_row(project, value=None))


def test_a_budget_period_ends_after_it_starts_and_has_iati_codes(project):
    refused(lambda: budget_row(project, period_end=DAY))
    refused(lambda: budget_row(project, budget_type=3))
    refused(lambda: budget_row(project, status=3))
    refused(lambda: budget_row(project, value=None))


def test_an_exchange_rate_is_positive_for_a_period_and_not_for_eur(db):
    rate = {"currency": "USD", "valid_from": DAY, "valid_until": DAY, "eur_per_unit": Decimal("0.9"), "source": "t"}
    ExchangeRate.objects.create(**rate)
    refused(lambda: ExchangeRate.objects.create(**rate))  # one rate for a currency from a day
    refused(lambda: ExchangeRate.objects.create(**rate | {"currency": "EUR"}))
    refused(lambda: ExchangeRate.objects.create(**rate | {"currency": "GBP", "eur_per_unit": 0}))
    refused(lambda: ExchangeRate.objects.create(**rate | {"currency": "GBP", "valid_until": DAY.replace(year=2024)}))


@pytest.mark.parametrize("code", ["1516", "151600", "1516a", "abcde"])
def test_a_sector_code_is_five_digits(project, code):
    refused(lambda: SectorTopic.objects.create(code=code, name="Test"))
    refused(lambda: ProjectSector.objects.create(project=project, code=code))


def test_percentages_lie_between_0_and_100(project):
    refused(lambda: ProjectSector.objects.create(project=project, code="15160", percentage=Decimal("100.01")))
    refused(lambda: ProjectCountryShare.objects.create(project=project, country_code="KZ", percentage=-1))
    refused(lambda: ProjectCountryShare.objects.create(project=project, country_code="kz"))


def test_the_seeded_sectors_are_those_the_issue_names(db):
    import importlib

    from django.apps import apps

    SectorTopic.objects.all().delete()  # what a test's flush may have left: nothing, or the seed
    importlib.import_module("funding.migrations.0013_sector_topics_seed").seed(apps, None)
    assert dict(SectorTopic.objects.values_list("code", "name")) == {
        "15130": "Legal and judicial development",
        "15150": "Democratic participation and civil society",
        "15153": "Media and free flow of information",
        "15160": "Human rights",
    }
