"""The known EU contribution, computed by one rule for the API, the pages and the exports.

Sources announce calls (packages) with a total, and the single projects of a package often have no
published amount. The known contribution in a scope (everything, or one country) is therefore:

- the total of every published call in the scope whose total is known, plus
- the EU contribution of every published project in the scope whose amount is known and whose call
  is not counted above (no call, a call without a known total, an unpublished call, or a call that
  lies outside the scope, such as a regional package when the scope is one country).

No amount is counted twice, and an unknown amount is never taken as 0: a scope with nothing known
has a total of None, and `projects_amount_unknown` says how many projects the figure leaves out.
Records under an unpublished programme are left out, so no draft programme is named.

In a country's scope a project working in several countries counts in full in each of them, so the
countries' figures need not add up to the overall one.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from dialogues.cache import cached
from dialogues.publishing import PublicationStatus

from .models import Call, Project

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class ProgrammeAmount:
    slug: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class YearAmount:
    year: int | None  # None: the records give no year
    amount: Decimal


@dataclass(frozen=True)
class ProgrammeYearAmount:
    slug: str
    name: str
    year: int | None
    amount: Decimal


@dataclass(frozen=True)
class KnownContribution:
    total: Decimal | None  # None when nothing is known, never 0 for unknown
    by_programme: list[ProgrammeAmount] = field(default_factory=list)
    by_year: list[YearAmount] = field(default_factory=list)
    by_programme_and_year: list[ProgrammeYearAmount] = field(default_factory=list)  # by name, then year
    calls_counted: int = 0
    projects_counted: int = 0
    projects_amount_unknown: int = 0


def counted_calls(*, country=None):
    """The calls whose total counts in the scope."""
    calls = Call.objects.filter(
        publication_status=PUBLISHED,
        programme__publication_status=PUBLISHED,
        total_amount_eur__isnull=False,
    )
    if country is not None:
        calls = calls.filter(country=country)
    return calls


def _projects_in_scope(country):
    projects = Project.objects.filter(publication_status=PUBLISHED, programme__publication_status=PUBLISHED)
    if country is not None:
        through = Project.countries.through
        projects = projects.filter(pk__in=through.objects.filter(country=country).values("project_id"))
    return projects


def counted_projects(*, country=None):
    """The projects whose own amount counts in the scope (their call's total does not)."""
    calls = counted_calls(country=country).values("pk")
    return (
        _projects_in_scope(country)
        .filter(eu_contribution_eur__isnull=False)
        .filter(Q(call__isnull=True) | ~Q(call__in=calls))
    )


def known_contribution(*, country=None):
    """The known EU contribution overall (`country=None`) or in one country. Three queries, none
    while the figure is cached (until the next change of any record, dialogues/cache.py)."""
    scope = "all" if country is None else country.pk
    return cached(f"known-contribution:{scope}", lambda: _known_contribution(country))


def _known_contribution(country):
    call_rows = (
        counted_calls(country=country)
        .annotate(bucket_year=Coalesce("year", ExtractYear("announced_on"), output_field=IntegerField()))
        .values("programme__slug", "programme__name", "bucket_year")
        .annotate(amount=Sum("total_amount_eur"), records=Count("pk"))
        .order_by()
    )
    project_rows = (
        counted_projects(country=country)
        .annotate(bucket_year=ExtractYear("starts_on"))
        .values("programme__slug", "programme__name", "bucket_year")
        .annotate(amount=Sum("eu_contribution_eur"), records=Count("pk"))
        .order_by()
    )
    calls = counted_calls(country=country).values("pk")
    unknown = (
        _projects_in_scope(country)
        .filter(eu_contribution_eur__isnull=True)
        .filter(Q(call__isnull=True) | ~Q(call__in=calls))
        .count()
    )

    by_programme, names, by_year, by_programme_year = {}, {}, {}, {}
    counts = {"calls": 0, "projects": 0}
    for kind, rows in (("calls", call_rows), ("projects", project_rows)):
        for row in rows:
            slug = row["programme__slug"]
            names[slug] = row["programme__name"]
            by_programme[slug] = by_programme.get(slug, Decimal(0)) + row["amount"]
            by_year[row["bucket_year"]] = by_year.get(row["bucket_year"], Decimal(0)) + row["amount"]
            key = (slug, row["bucket_year"])
            by_programme_year[key] = by_programme_year.get(key, Decimal(0)) + row["amount"]
            counts[kind] += row["records"]

    total = sum(by_programme.values(), Decimal(0)) if by_programme else None
    return KnownContribution(
        total=total,
        by_programme=[
            ProgrammeAmount(slug, names[slug], amount)
            for slug, amount in sorted(by_programme.items(), key=lambda item: (-item[1], item[0]))
        ],
        by_year=[
            YearAmount(year, amount)
            for year, amount in sorted(by_year.items(), key=lambda item: (item[0] is None, item[0] or 0))
        ],
        by_programme_and_year=[
            ProgrammeYearAmount(slug, names[slug], year, amount)
            for (slug, year), amount in sorted(
                by_programme_year.items(), key=lambda item: (names[item[0][0]], item[0][1] is None, item[0][1] or 0)
            )
        ],
        calls_counted=counts["calls"],
        projects_counted=counts["projects"],
        projects_amount_unknown=unknown,
    )
