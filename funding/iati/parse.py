"""Reads an IATI activity file (versions 2.01-2.03) one activity at a time, in bounded memory.

The parser loads no DTD, resolves no entity and reaches no network, and a file with a DOCTYPE is
refused outright: IATI files have none, and an internal subset is how an entity bomb
("billion laughs") or an external entity gets in. Each finished activity is cleared from the tree.
Values come out typed (dates, decimals) but not yet mapped onto the portal (mapping.py does that);
an activity whose values cannot be read is yielded as a `Skipped` with its reason.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

ACCEPTED_VERSIONS = ("2.01", "2.02", "2.03")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
KEPT_TRANSACTION_TYPES = {"2", "3", "4"}  # commitment, disbursement, expenditure


class IatiFileError(Exception):
    """The file as a whole is refused: nothing of it is imported."""


class InvalidActivity(Exception):
    """One activity cannot be read; the reason is shown in the summary."""


@dataclass(frozen=True)
class FileHeader:
    version: str
    generated: datetime | None


@dataclass
class Organisation:
    role: str
    ref: str
    type: str
    names: dict


@dataclass
class Transaction:
    type: int
    value: Decimal
    currency: str
    value_date: date
    transaction_date: date


@dataclass
class Budget:
    type: int
    status: int | None
    period_start: date
    period_end: date
    value: Decimal
    currency: str
    value_date: date


@dataclass
class Activity:
    identifier: str
    last_updated: datetime | None = None
    hierarchy: int = 1
    reporting_org: Organisation | None = None
    titles: dict = field(default_factory=dict)  # language -> text
    descriptions: dict = field(default_factory=dict)
    status: str = ""
    dates: dict = field(default_factory=dict)  # activity-date type -> date
    organisations: list = field(default_factory=list)
    countries: list = field(default_factory=list)  # (code, percentage or None)
    regions: list = field(default_factory=list)  # (code, percentage or None), DAC vocabulary
    sectors: list = field(default_factory=list)  # (code, percentage or None), DAC 5-digit vocabulary
    policy_markers: list = field(default_factory=list)  # {"code", "vocabulary", "significance"}
    transactions: list = field(default_factory=list)
    budgets: list = field(default_factory=list)
    related: list = field(default_factory=list)  # (type, identifier)


@dataclass(frozen=True)
class Skipped:
    identifier: str
    reason: str


def read_activities(stream):
    """Yields the FileHeader, then an Activity or a Skipped for each activity of `stream` (a binary
    file). Raises IatiFileError for a file that is refused as a whole."""
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    yield _header(element)
                continue
            depth -= 1
            if depth == 1 and element.tag == "iati-activity":
                yield _activity_or_skipped(element, element.getparent())
                element.clear()
                while element.getprevious() is not None:  # the activities already read
                    del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise IatiFileError(_("The file is not well-formed XML: %(error)s") % {"error": error}) from error


def _header(root):
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url or docinfo.public_id:
        raise IatiFileError(_("The file declares a DOCTYPE, which IATI files never do: refused (entities, DTDs)."))
    if root.tag != "iati-activities":
        raise IatiFileError(_("This is not an IATI activity file (its root is <%(tag)s>).") % {"tag": root.tag})
    version = (root.get("version") or "").strip()
    if version.startswith("1."):
        raise IatiFileError(
            _("IATI %(version)s files are not accepted: their codes differ from 2.0x. Use the 2.03 file.")
            % {"version": version}
        )
    if version not in ACCEPTED_VERSIONS:
        raise IatiFileError(
            _("IATI version %(version)s is not accepted (only %(accepted)s).")
            % {"version": version or _("(none stated)"), "accepted": ", ".join(ACCEPTED_VERSIONS)}
        )
    try:
        generated = parse_datetime(root.get("generated-datetime"))
    except InvalidActivity as error:
        raise IatiFileError(str(error)) from error
    return FileHeader(version=version, generated=generated)


def _activity_or_skipped(element, root):
    identifier = (element.findtext("iati-identifier") or "").strip()
    try:
        if not identifier:
            raise InvalidActivity(_("no iati-identifier"))
        return _activity(element, identifier, root)
    except InvalidActivity as error:
        return Skipped(identifier=identifier, reason=str(error))


def _activity(element, identifier, root):
    language = (element.get(XML_LANG) or root.get(XML_LANG) or "en").lower()
    currency = element.get("default-currency") or root.get("default-currency") or ""
    activity = Activity(identifier=identifier)
    activity.last_updated = parse_datetime(element.get("last-updated-datetime"))
    activity.hierarchy = _integer(element.get("hierarchy") or "1", "hierarchy")
    reporting = element.find("reporting-org")
    if reporting is not None:
        activity.reporting_org = _organisation(reporting, language, role="")
    activity.titles = _narratives(element.find("title"), language)
    for description in element.iterfind("description"):
        if description.get("type", "1") == "1":  # the general description
            for lang, text in _narratives(description, language).items():
                activity.descriptions.setdefault(lang, text)
    status = element.find("activity-status")
    activity.status = "" if status is None else (status.get("code") or "").strip()
    for activity_date in element.iterfind("activity-date"):
        activity.dates[activity_date.get("type", "")] = parse_date(activity_date.get("iso-date"), "activity-date")
    for organisation in element.iterfind("participating-org"):
        activity.organisations.append(_organisation(organisation, language, role=organisation.get("role", "")))
    for country in element.iterfind("recipient-country"):
        code = (country.get("code") or "").strip().upper()
        activity.countries.append((code, _percentage(country.get("percentage"))))
    for region in element.iterfind("recipient-region"):
        if region.get("vocabulary", "1") == "1":  # the OECD DAC regions
            activity.regions.append(((region.get("code") or "").strip(), _percentage(region.get("percentage"))))
    for sector in element.iterfind("sector"):
        if sector.get("vocabulary", "1") == "1":  # DAC 5-digit
            code = (sector.get("code") or "").strip()
            if not re.fullmatch(r"\d{5}", code):
                raise InvalidActivity(_("sector code %(code)r is not a DAC 5-digit code") % {"code": code})
            activity.sectors.append((code, _percentage(sector.get("percentage"))))
    for marker in element.iterfind("policy-marker"):
        activity.policy_markers.append(
            {
                "vocabulary": marker.get("vocabulary", "1"),
                "code": (marker.get("code") or "").strip(),
                "significance": (marker.get("significance") or "").strip(),
            }
        )
    for transaction in element.iterfind("transaction"):
        kept = _transaction(transaction, currency)
        if kept is not None:
            activity.transactions.append(kept)
    for budget in element.iterfind("budget"):
        activity.budgets.append(_budget(budget, currency))
    for related in element.iterfind("related-activity"):
        activity.related.append((related.get("type", ""), (related.get("ref") or "").strip()))
    return activity


def _narratives(element, default_language):
    if element is None:
        return {}
    texts = {}
    for narrative in element.iterfind("narrative"):
        text = " ".join((narrative.text or "").split())
        if text:
            texts.setdefault((narrative.get(XML_LANG) or default_language).lower(), text)
    return texts


def _organisation(element, language, *, role):
    return Organisation(
        role=role,
        ref=(element.get("ref") or "").strip(),
        type=(element.get("type") or "").strip(),
        names=_narratives(element, language),
    )


def _transaction(element, default_currency):
    type_element = element.find("transaction-type")
    code = "" if type_element is None else (type_element.get("code") or "").strip()
    if code not in KEPT_TRANSACTION_TYPES:
        return None  # incoming funds, loan repayments...: not the EU's own money out
    value, currency, value_date = _value(element.find("value"), default_currency, "transaction")
    date_element = element.find("transaction-date")
    transaction_date = parse_date(None if date_element is None else date_element.get("iso-date"), "transaction-date")
    return Transaction(
        type=int(code),
        value=value,
        currency=currency,
        value_date=value_date,
        transaction_date=transaction_date,
    )


def _budget(element, default_currency):
    start, end = element.find("period-start"), element.find("period-end")
    period_start = parse_date(None if start is None else start.get("iso-date"), "budget period-start")
    period_end = parse_date(None if end is None else end.get("iso-date"), "budget period-end")
    if period_end <= period_start:
        raise InvalidActivity(_("a budget period ends before it starts"))
    value, currency, value_date = _value(element.find("value"), default_currency, "budget")
    budget_type = _integer(element.get("type") or "1", "budget type")
    status = element.get("status")
    if budget_type not in (1, 2) or (status is not None and status not in ("1", "2")):
        raise InvalidActivity(_("a budget's type or status is not an IATI code"))
    return Budget(
        type=budget_type,
        status=None if status is None else int(status),
        period_start=period_start,
        period_end=period_end,
        value=value,
        currency=currency,
        value_date=value_date,
    )


def _value(element, default_currency, what):
    stated = {"what": what, "value": None if element is None else element.text}
    if element is None or not (element.text or "").strip():
        raise InvalidActivity(_("a %(what)s has no value") % {"what": what})
    try:
        value = Decimal(element.text.strip())
    except InvalidOperation as error:
        raise InvalidActivity(_("a %(what)s value %(value)r is not a number") % stated) from error
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise InvalidActivity(_("a %(what)s value %(value)r is out of range") % stated)
    currency = (element.get("currency") or default_currency).strip()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise InvalidActivity(_("a %(what)s has no valid currency (%(value)r)") % (stated | {"value": currency}))
    return value, currency, parse_date(element.get("value-date"), f"{what} value-date")


def parse_date(text, what="date"):
    text = (text or "").strip()
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidActivity(_("malformed %(what)s %(value)r") % {"what": what, "value": text}) from error


def parse_datetime(text):
    """An xsd:dateTime (no zone read as UTC); None when absent."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if not ISO_DATE.match(text):
            raise ValueError
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidActivity(_("malformed date and time %(value)r") % {"value": text}) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _percentage(text):
    if text is None or not text.strip():
        return None
    try:
        percentage = Decimal(text.strip())
    except InvalidOperation as error:
        raise InvalidActivity(_("percentage %(value)r is not a number") % {"value": text}) from error
    if not percentage.is_finite() or not 0 <= percentage <= 100:
        raise InvalidActivity(_("percentage %(value)r is not between 0 and 100") % {"value": text})
    return percentage.quantize(Decimal("0.01"))


def _integer(text, what):
    try:
        return int(text.strip())
    except ValueError as error:
        raise InvalidActivity(_("%(what)s %(value)r is not a whole number") % {"what": what, "value": text}) from error
