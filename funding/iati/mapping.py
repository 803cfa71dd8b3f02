"""How an IATI activity maps onto a portal project: status, dates, countries, implementer, topics
and the EU contribution in EUR. Pure functions over parse.Activity; importer.py writes the result."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from dialogues.country_codes import ASSIGNED
from dialogues.models import OrganisationKind

from ..models import ProjectStatus
from .codes import CENTRAL_ASIA_REGION
from .parse import Activity, InvalidActivity

TITLE_LENGTH = 400  # Project.title

# activity-status: pipeline, implementation, finalisation, closed; cancelled (5) and suspended (6)
# have no portal status and stay blank
STATUS = {
    "1": ProjectStatus.PLANNED,
    "2": ProjectStatus.ONGOING,
    "3": ProjectStatus.COMPLETED,
    "4": ProjectStatus.COMPLETED,
}
# activity-date types: 1 planned start, 2 actual start, 3 planned end, 4 actual end
START_TYPES, END_TYPES = ("2", "1"), ("4", "3")
IMPLEMENTING_ROLE = "4"
# IATI OrganisationType -> the portal's kind of organisation (for an implementer not yet recorded)
ORGANISATION_KIND = {
    "10": OrganisationKind.GOVERNMENT,
    "11": OrganisationKind.GOVERNMENT,
    "15": OrganisationKind.GOVERNMENT,
    "21": OrganisationKind.NGO,
    "22": OrganisationKind.NGO,
    "23": OrganisationKind.NGO,
    "24": OrganisationKind.NGO,
    "40": OrganisationKind.INTERNATIONAL,
    "80": OrganisationKind.ACADEMIA,
}
PARENT, CHILD = "1", "2"  # related-activity types


@dataclass(frozen=True)
class Implementer:
    ref: str
    name_en: str
    name_ru: str
    kind: str


@dataclass
class ProjectData:
    """What the import writes for one activity; compared with the record to find what changed."""

    identifier: str
    last_updated: object
    title_en: str
    title_ru: str
    summary_en: str
    summary_ru: str
    status: str
    starts_on: date | None
    ends_on: date | None
    country_codes: list  # the portal's countries among the recipients, in the file's order
    shares: list  # (code, percentage) as stated
    region: str
    sectors: list  # (code, percentage) as stated
    policy_markers: list
    implementer: Implementer | None
    transactions: list
    budgets: list
    parent: str  # the identifier of the parent activity, or ""
    children: list = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """Which activities the operator asked for."""

    countries: frozenset  # ISO codes
    sectors: frozenset = frozenset()  # DAC codes; empty: any

    def excludes(self, activity: Activity):
        """The reason an activity lies outside the scope, or None."""
        codes = {code for code, _percentage in activity.countries}
        regional = any(code == CENTRAL_ASIA_REGION for code, _percentage in activity.regions)
        if not (codes & self.countries or regional):
            return _("no recipient country among %(codes)s, nor the region 619 (Central Asia)") % {
                "codes": ", ".join(sorted(self.countries))
            }
        if self.sectors and not {code for code, _percentage in activity.sectors} & self.sectors:
            return _("no sector among %(codes)s") % {"codes": ", ".join(sorted(self.sectors))}
        return None


def project_data(activity: Activity, portal_countries):
    """The ProjectData of an activity; raises InvalidActivity. `portal_countries`: ISO codes."""
    for code, _percentage in activity.countries:
        if code not in ASSIGNED:
            raise InvalidActivity(_("unknown country code %(code)r") % {"code": code})
    titles, descriptions = _by_language(activity.titles), _by_language(activity.descriptions)
    if not titles.get("en"):
        raise InvalidActivity(_("no title in English"))
    if any(len(title) > TITLE_LENGTH for title in titles.values()):
        raise InvalidActivity(_("a title is longer than %(length)s characters") % {"length": TITLE_LENGTH})
    starts_on = next((activity.dates[t] for t in START_TYPES if t in activity.dates), None)
    ends_on = next((activity.dates[t] for t in END_TYPES if t in activity.dates), None)
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidActivity(_("the activity ends before it starts"))
    related = {kind: [ref for k, ref in activity.related if k == kind and ref] for kind in (PARENT, CHILD)}
    return ProjectData(
        identifier=activity.identifier,
        last_updated=activity.last_updated,
        title_en=titles["en"],
        title_ru=titles.get("ru", ""),
        summary_en=descriptions.get("en", ""),
        summary_ru=descriptions.get("ru", ""),
        status=STATUS.get(activity.status, ""),
        starts_on=starts_on,
        ends_on=ends_on,
        country_codes=[code for code, _percentage in activity.countries if code in portal_countries],
        shares=sorted(set(activity.countries)),
        region=CENTRAL_ASIA_REGION if any(code == CENTRAL_ASIA_REGION for code, _p in activity.regions) else "",
        sectors=sorted(set(activity.sectors)),
        policy_markers=activity.policy_markers,
        implementer=_implementer(activity),
        transactions=activity.transactions,
        budgets=activity.budgets,
        parent=related[PARENT][0] if related[PARENT] else "",
        children=related[CHILD],
    )


def _by_language(texts):
    """{"en": ..., "ru": ...}: "en-GB" counts as English."""
    found = {}
    for language, text in texts.items():
        found.setdefault(language.split("-")[0], text)
    return found


def _implementer(activity):
    for organisation in activity.organisations:
        names = _by_language(organisation.names)
        name = names.get("en") or next(iter(names.values()), "")
        if organisation.role == IMPLEMENTING_ROLE and name:
            kind = ORGANISATION_KIND.get(organisation.type, OrganisationKind.OTHER)
            return Implementer(ref=organisation.ref, name_en=name, name_ru=names.get("ru", ""), kind=kind)
    return None


def eu_contribution_eur(transactions, rate_for):
    """The sum of the commitments in EUR, or None when there is none, when one cannot be converted
    (`rate_for(currency, day)` gives None) or when the sum is not positive: a non-EUR amount is
    never added to EUR without a rate."""
    total, found = Decimal(0), False
    for transaction in transactions:
        if transaction.type != 2:
            continue
        found = True
        if transaction.currency == "EUR":
            total += transaction.value
            continue
        rate = rate_for(transaction.currency, transaction.value_date)
        if rate is None:
            return None
        total += transaction.value * rate
    if not found or total <= 0:
        return None
    return total.quantize(Decimal("0.01"))
