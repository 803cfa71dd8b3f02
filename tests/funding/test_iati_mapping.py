"""How an IATI activity maps onto a project (funding/iati/mapping.py): pure functions, no database."""

import datetime
from decimal import Decimal

import pytest

from funding.iati.mapping import Scope, eu_contribution_eur, project_data
from funding.iati.parse import Activity, InvalidActivity, Organisation, Transaction

DAY = datetime.date(2025, 1, 1)


def activity(**fields):
    return Activity(**{"identifier": "XX-TEST-1", "titles": {"en": "Test"}, "countries": [("KZ", None)]} | fields)


@pytest.mark.parametrize(
    ("code", "status"),
    [("1", "planned"), ("2", "ongoing"), ("3", "completed"), ("4", "completed"), ("5", ""), ("6", ""), ("", "")],
)
def test_activity_status(code, status):
    assert project_data(activity(status=code), {"KZ"}).status == status


@pytest.mark.parametrize(
    ("dates", "start", "end"),
    [
        ({"1": DAY, "3": DAY.replace(year=2026)}, DAY, DAY.replace(year=2026)),  # planned only
        ({"1": DAY, "2": DAY.replace(month=2)}, DAY.replace(month=2), None),  # actual over planned
        ({"3": DAY.replace(year=2026), "4": DAY.replace(month=9)}, None, DAY.replace(month=9)),
    ],
)
def test_actual_dates_over_planned(dates, start, end):
    data = project_data(activity(dates=dates), {"KZ"})
    assert (data.starts_on, data.ends_on) == (start, end)


def test_an_activity_ending_before_it_starts_is_invalid():
    with pytest.raises(InvalidActivity, match="ends before it starts"):
        project_data(activity(dates={"2": DAY, "4": DAY.replace(year=2024)}), {"KZ"})


def test_an_activity_without_an_english_title_is_invalid():
    with pytest.raises(InvalidActivity, match="no title in English"):
        project_data(Activity(identifier="XX-TEST-1", titles={"ru": "Тест"}), {"KZ"})


def test_en_gb_counts_as_english():
    data = project_data(Activity(identifier="XX-TEST-1", titles={"en-gb": "Test", "ru": "Тест"}), {"KZ"})
    assert (data.title_en, data.title_ru) == ("Test", "Тест")


@pytest.mark.parametrize(
    ("iati_type", "kind"),
    [("10", "government"), ("22", "ngo"), ("40", "international"), ("80", "academia"), ("70", "other")],
)
def test_the_implementer_is_the_role_4_organisation(iati_type, kind):
    organisations = [
        Organisation(role="1", ref="", type="10", names={"en": "Test funder"}),
        Organisation(role="4", ref="XX-TEST-ORG", type=iati_type, names={"en": "Test implementer"}),
    ]
    implementer = project_data(activity(organisations=organisations), {"KZ"}).implementer
    assert (implementer.name_en, implementer.kind) == ("Test implementer", kind)


def test_only_the_portals_countries_are_its_countries_and_every_share_is_kept():
    data = project_data(activity(countries=[("KZ", Decimal(70)), ("AF", Decimal(30))]), {"KZ", "UZ"})
    assert data.country_codes == ["KZ"] and data.shares == [("AF", Decimal(30)), ("KZ", Decimal(70))]


def test_the_parent_and_children_are_read_from_related_activities():
    data = project_data(activity(related=[("1", "XX-TEST-P"), ("2", "XX-TEST-C1"), ("2", "XX-TEST-C2")]), {"KZ"})
    assert (data.parent, data.children) == ("XX-TEST-P", ["XX-TEST-C1", "XX-TEST-C2"])


def commitment(value, currency="EUR", kind=2):
    return Transaction(type=kind, value=Decimal(value), currency=currency, value_date=DAY, transaction_date=DAY)


def no_rate(currency, day):
    return None


def test_the_eur_contribution_is_the_commitments_only():
    assert eu_contribution_eur([commitment(100), commitment(50, kind=3), commitment(7, kind=4)], no_rate) == 100


def test_no_commitment_or_a_sum_not_above_0_is_unknown():
    assert eu_contribution_eur([commitment(50, kind=3)], no_rate) is None
    assert eu_contribution_eur([commitment(100), commitment(-100)], no_rate) is None


def test_a_commitment_without_a_rate_makes_the_eur_sum_unknown():
    assert eu_contribution_eur([commitment(100), commitment(100, "USD")], no_rate) is None
    assert eu_contribution_eur([commitment(100), commitment(100, "USD")], lambda c, d: Decimal("0.5")) == 150


def test_the_scope_takes_the_countries_asked_for_or_the_central_asia_region():
    scope = Scope(countries=frozenset({"KZ"}))
    assert scope.excludes(activity()) is None
    assert scope.excludes(Activity(identifier="XX", regions=[("619", None)])) is None
    assert "no recipient country among KZ" in scope.excludes(Activity(identifier="XX", countries=[("FR", None)]))
    narrowed = Scope(countries=frozenset({"KZ"}), sectors=frozenset({"15160"}))
    assert "no sector among 15160" in narrowed.excludes(activity(sectors=[("15150", None)]))
