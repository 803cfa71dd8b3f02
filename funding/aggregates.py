"""The known EU contribution, computed by one rule for the API, the pages and the exports.

Sources announce calls (packages) with a total, and the single projects of a package often have no
published amount. The known contribution in a scope (everything, or one country) is therefore:

- the total of every published call in the scope whose total is known, unless it is a part of a
  package (`Call.parent`) whose own total counts in the scope, plus
- the EU contribution of every published project in the scope whose amount is known and whose call
  is not counted above, nor that call's package (no call, a call without a known total, an
  unpublished call, or a call that lies outside the scope, such as a regional package when the
  scope is one country).

No amount is counted twice, and an unknown amount is never taken as 0: a scope with nothing known
has a total of None, and `projects_amount_unknown` says how many projects the figure leaves out.
Records under an unpublished programme are left out, so no draft programme is named; records
whose programme no source names count under "programme not stated".

In a country's scope a project working in several countries counts in full in each of them, so the
countries' figures need not add up to the overall one.

Projects of both kinds of record count alike: those entered from press releases and other sources
and those imported from IATI activity files, whose amount is the sum of their commitments in EUR
(an amount in another currency only through a rate the operator loaded: else it is unknown). The
figures say how many of the projects they count are IATI activities (`projects_counted_iati`).
"""

from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

import psycopg
from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, Case, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dialogues.cache import cached
from dialogues.publishing import PublicationStatus
from dialogues.sql_expressions import ids_in, related_ids

from .models import Call, Programme, Project, ProjectSourceKind

PUBLISHED = PublicationStatus.PUBLISHED
PROGRAMME_NOT_STATED = _("programme not stated by the sources")
NAMES = [f"name_{code}" for code, _name in settings.LANGUAGES]
GROUPS_PER_FETCH = 2_000


class ProgrammeName:
    """A programme's name in every language, printed in the reader's: the figures are computed once
    and cached for every reader, whatever their language. A name not yet in the page's language is
    English, marked as such on a page (`{{ row.name.html }}`), as dialogues/templatetags/languages.py
    marks it."""

    def __init__(self, programme):
        self.names = {name.removeprefix("name_"): getattr(programme, name) for name in NAMES}

    def _falls_back(self):
        return not self.names.get(get_language()) and get_language() != settings.MODELTRANSLATION_DEFAULT_LANGUAGE

    def __str__(self):
        return self.names.get(get_language()) or self.names[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]

    @property
    def html(self):
        if self._falls_back():
            return format_html('<span lang="{}">{}</span>', settings.MODELTRANSLATION_DEFAULT_LANGUAGE, str(self))
        return format_html("{}", str(self))

    def __eq__(self, other):
        return isinstance(other, ProgrammeName) and self.names == other.names

    def __hash__(self):
        return hash(tuple(sorted(self.names.items())))


@dataclass(frozen=True)
class ProgrammeAmount:
    slug: str | None  # None: no source names the programme
    name: ProgrammeName | str  # str: the lazy "programme not stated"
    amount: Decimal
    first_year: int | None = None  # the years its amounts are of (None: no year known)
    last_year: int | None = None


@dataclass(frozen=True)
class YearAmount:
    year: int | None  # None: the records give no year
    amount: Decimal


@dataclass(frozen=True)
class KnownContribution:
    total: Decimal | None  # None when nothing is known, never 0 for unknown
    by_programme: list[ProgrammeAmount] = field(default_factory=list)
    by_year: list[YearAmount] = field(default_factory=list)
    calls_counted: int = 0
    projects_counted: int = 0
    projects_counted_iati: int = 0  # of projects_counted, those imported from IATI activity files
    projects_amount_unknown: int = 0


def counted_call(path=""):
    """A call whose total counts, in the overall figure and in its own country's; `path` leads
    to the call from the queried model (e.g. "call__" from a project)."""
    return Q(**{f"{path}publication_status": PUBLISHED, f"{path}total_amount_eur__isnull": False}) & (
        Q(**{f"{path}programme__isnull": True}) | Q(**{f"{path}programme__publication_status": PUBLISHED})
    )


NOTHING_KNOWN = KnownContribution(total=None)


def counted_once(projects):
    """The projects whose own amounts may count: not a record that points to the one kept for the
    same project (`duplicate_of`), nor an IATI parent activity whose children are published (its
    money is theirs: only the lowest level of a hierarchy counts)."""
    children = Project.objects.filter(iati_parent=OuterRef("pk"), publication_status=PUBLISHED)
    return projects.filter(duplicate_of__isnull=True).exclude(Exists(children))


def known_contribution(*, country=None):
    """The known EU contribution overall (`country=None`) or in one country, from that scope's
    cells each edit keeps up to date (funding/summaries.py), summed in the database: three queries,
    none while cached (until the next change of a record it read, dialogues/cache.py). Grouped
    from the projects, the figures took 2.7 s at a million projects; folded from the cells in
    Python, 30 ms a country."""
    scope = None if country is None else country.pk
    return cached(f"known-contribution:{'all' if scope is None else scope}", partial(_known_contribution, scope))


def known_by_scope_and_year():
    """{scope (None: overall, else a country's id): {year or None: amount}} of every scope where
    an amount is known, from the sums by scope and year each edit keeps up to date, in one query
    (none while cached): the home page's totals and its chart of years."""
    from .summaries import year_sums_by_scope

    return cached("known-contribution-by-scope-year", year_sums_by_scope)


def known_by_year():
    """known_contribution().by_year alone (the overall figure), without the programmes' sums."""
    return years_in_order(known_by_scope_and_year().get(None, {}))


def years_in_order(amounts):
    """[YearAmount] of {year or None: amount}, oldest first, the unknown year last."""
    return [YearAmount(year, amounts[year]) for year in sorted(amounts, key=lambda year: (year is None, year or 0))]


def known_totals():
    """{None: the overall total, country id: that country's} of every scope where an amount is
    known (a scope missing: nothing known, None): the home page shows six totals, which folding
    every scope's cells took 45 ms at a million projects."""
    return {scope: sum(years.values(), Decimal(0)) for scope, years in known_by_scope_and_year().items()}


def project_counts():
    """{(scope, topic): how many published projects}, as funding.summaries.project_counts keeps
    them, cached: a country page reads them twice (its story's count and its topics)."""
    from . import summaries

    return cached("project-counts", summaries.project_counts)


def _known_contribution(scope):
    from .summaries import scope_sums  # the cells of this module's rule, kept up to date

    sums, by_year = scope_sums(scope)
    counted = {
        programme: programme_sums for programme, programme_sums in sums.items() if programme_sums.amount is not None
    }
    programmes = Programme.objects.filter(pk__in=set(counted) - {None}).only("slug", *NAMES)
    names = {programme.pk: (programme.slug, ProgrammeName(programme)) for programme in programmes}
    names[None] = (None, PROGRAMME_NOT_STATED)  # lazy: shown in the reader's language
    return KnownContribution(
        total=sum((found.amount for found in counted.values()), Decimal(0)) if counted else None,
        by_programme=sorted(
            (
                ProgrammeAmount(*names[programme], found.amount, found.first_year, found.last_year)
                for programme, found in counted.items()
            ),
            key=lambda row: (-row.amount, row.slug or ""),
        ),
        by_year=years_in_order(by_year),
        calls_counted=sum(found.calls for found in sums.values()),
        projects_counted=sum(found.projects for found in sums.values()),
        projects_counted_iati=sum(found.projects_iati for found in sums.values()),
        projects_amount_unknown=sum(found.projects_amount_unknown for found in sums.values()),
    )


@dataclass
class Cell:
    """What the records of one scope, programme and year add to the known contribution: the
    amount of those that count, how many count (calls, projects, of them IATI activities), and how
    many projects it leaves out for want of an amount. Cells add up: the records' figures are
    independent of one another, so the cells of two sets of records are their sum."""

    amount: Decimal = Decimal(0)
    calls: int = 0
    projects: int = 0
    projects_iati: int = 0
    projects_amount_unknown: int = 0

    FIELDS = ("amount", "calls", "projects", "projects_iati", "projects_amount_unknown")

    def __add__(self, other):
        return Cell(*(getattr(self, name) + getattr(other, name) for name in self.FIELDS))

    def __sub__(self, other):
        return Cell(*(getattr(self, name) - getattr(other, name) for name in self.FIELDS))

    def __bool__(self):
        return any(getattr(self, name) for name in self.FIELDS)

    @property
    def counted(self):
        """Whether any record counted its amount here (an amount of 0 counts too)."""
        return bool(self.calls or self.projects)


def rule_cells(calls=None, projects=None):
    """{(scope, programme, year): Cell} of the published records among `calls` and `projects`
    (querysets, every one by default), by the rule above; scope None is the overall figure,
    programme None "not stated", year None no year. The rule's only place: the stored cells are
    these, kept up to date record by record (funding/summaries.py)."""
    cells = defaultdict(Cell)
    for row in _call_groups(Call.objects.all() if calls is None else calls):
        for scope in (None,) if row["country"] is None else (None, row["country"]):
            if not _covered(row, scope, "package"):  # a part counts only where its package does not
                cells[scope, row["programme"], row["bucket_year"]] += Cell(row["amount"], calls=row["records"])
    for row in streamed(_project_groups(Project.objects.all() if projects is None else projects)):
        iati = row["records"] if row["source_kind"] == ProjectSourceKind.IATI else 0
        for scope in (None, *ids_in(row["in_countries"])):
            # the rule: a project's own amount counts unless its call's total, or its call's
            # package's, counts in the scope, which a counted call's does overall and in its own
            # country (not in a regional one's)
            if _covered(row, scope, "call") or _covered(row, scope, "package"):
                continue
            if row["amount_known"]:
                found = Cell(row["amount"], projects=row["records"], projects_iati=iati)
            else:
                found = Cell(projects_amount_unknown=row["records"])
            cells[scope, row["programme"], row["bucket_year"]] += found
    return dict(cells)


def streamed(queryset):
    """The rows of `queryset`, a chunk at a time, never all at once: at a million synthetic
    projects the groups number about 75,000, which read as one list cost a request 140 MB
    (bench/measure.py, memory). On PostgreSQL through a server-side cursor planned for all its
    rows (cursor_tuple_fraction = 1 while it is read): planned for its first tenth, as by default,
    the same grouping took 6.5 s instead of 2.8 s. The setting goes through the driver's
    connection, not as one of the page's queries, and is reset whatever happens."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        yield from queryset.iterator(chunk_size=GROUPS_PER_FETCH)
        return
    connection.ensure_connection()
    driver = connection.connection
    driver.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield from queryset.iterator(chunk_size=GROUPS_PER_FETCH)
    finally:
        # in a transaction that failed the setting goes with its rollback, and RESET would fail
        with suppress(psycopg.Error):
            driver.execute("RESET cursor_tuple_fraction")


def _covered(row, scope, level):
    """Whether the `level` call ("call" or "package") of a grouped row counts its total in `scope`,
    so that what lies under it does not count again."""
    return row[f"counted_{level}"] and (scope is None or row[f"counted_{level}_country"] == scope)


def _counted_through(path):
    """Annotations saying whether the call at `path` (e.g. "call__parent__") counts, and its country."""
    counted = Q(**{f"{path}isnull": False}) & counted_call(path)
    return ExpressionWrapper(counted, BooleanField()), Case(When(counted, then=f"{path}country"))


def _call_groups(calls):
    package_counted, package_country = _counted_through("parent__")
    return (
        calls.filter(counted_call())
        .annotate(
            bucket_year=Coalesce("year", ExtractYear("announced_on"), output_field=IntegerField()),
            counted_package=package_counted,
            counted_package_country=package_country,
        )
        .values("country", "programme", "bucket_year", "counted_package", "counted_package_country")
        .annotate(amount=Sum("total_amount_eur"), records=Count("pk"))
        .order_by()
    )


def _project_groups(projects):
    """The published projects of published programmes, in groups that the rule treats alike:
    programme, year, countries, whether their call's total counts and in which country, whether
    their amount is known (about 75,000 groups at a million synthetic projects, few in the real
    data). On PostgreSQL one pass over an index holding every column read (migration 0007)."""
    projects = counted_once(
        projects.filter(
            Q(programme__isnull=True) | Q(programme__publication_status=PUBLISHED), publication_status=PUBLISHED
        )
    )
    # read through the call's join; false, not null, without a call (grouped with the calls that
    # do not count); the call's country matters only where its total counts
    call_counted, call_country = _counted_through("call__")
    package_counted, package_country = _counted_through("call__parent__")
    return (
        projects.annotate(
            bucket_year=ExtractYear("starts_on"),
            in_countries=related_ids(projects, "countries"),
            counted_call=call_counted,
            counted_call_country=call_country,
            counted_package=package_counted,
            counted_package_country=package_country,
            amount_known=ExpressionWrapper(Q(eu_contribution_eur__isnull=False), BooleanField()),
        )
        .values(
            *("programme", "bucket_year", "in_countries", "counted_call", "counted_call_country"),
            *("counted_package", "counted_package_country", "amount_known", "source_kind"),
        )
        .annotate(amount=Sum("eu_contribution_eur"), records=Count("pk"))
        .order_by()
    )


@dataclass(frozen=True)
class ProjectsContribution:
    total: Decimal | None  # None when nothing is known
    packages_counted: int = 0
    projects_counted: int = 0
    projects_counted_iati: int = 0  # of projects_counted, those imported from IATI activity files
    projects_amount_unknown: int = 0


def package_members(packages):
    """{package id: ids of its published projects, its parts' included}, in one query."""
    members = defaultdict(set)
    rows = counted_once(Project.objects.published()).filter(Q(call__in=packages) | Q(call__parent__in=packages))
    for pk, call, parent in rows.values_list("pk", "call", "call__parent"):
        for package in (call, parent):
            if package in packages:
                members[package].add(pk)
    return members


def not_counted_again(projects):
    """The ids among `projects` (instances) that counted_once() leaves out; a query only when an
    IATI project is among them (a parent is known by its children)."""
    duplicates = {p.pk for p in projects if p.duplicate_of_id}
    iati = [p.pk for p in projects if p.source_kind == ProjectSourceKind.IATI and p.pk not in duplicates]
    if not iati:
        return duplicates
    kept = counted_once(Project.objects.filter(pk__in=iati)).values_list("pk", flat=True)
    return duplicates | (set(iati) - set(kept))


def contribution_of_projects(projects, members=None, not_counted=None):
    """The known EU contribution of a set of published projects (a concern's, a country's on one
    topic), by the same rule: a package's stated total counts when every published project of the
    package lies in the set (its projects' own amounts then do not count again); any other
    project counts its own known amount. A package part of the set shares cannot be apportioned.

    `projects`: Project instances with `call` and `call.parent` loaded (for_listing());
    `members`: package_members() of their packages, `not_counted`: not_counted_again() of them all,
    when the caller computes many sets at once."""
    projects = [p for p in projects if p.is_published and (p.programme is None or p.programme.is_published)]
    if not_counted is None:
        not_counted = not_counted_again(projects)
    projects = [p for p in projects if p.pk not in not_counted]
    ids = {p.pk for p in projects}
    packages = {}
    for project in projects:
        for call in (project.call, project.call.parent if project.call else None):
            if call is not None and call.is_published and call.total_amount_eur is not None:
                packages.setdefault(call.pk, call)
    # a package counts when all its published projects (its parts' included) are in the set
    if members is None:
        members = package_members(set(packages))
    whole = {pk: call for pk, call in packages.items() if members[pk] <= ids}
    # the outermost whole package counts; parts under it do not
    counted = {pk: call for pk, call in whole.items() if call.parent_id not in whole}
    total, counted_projects, counted_iati, unknown = Decimal(0), 0, 0, 0
    for project in projects:
        chain = [c.pk for c in (project.call, project.call.parent if project.call else None) if c]
        if any(pk in whole for pk in chain):
            continue
        if project.eu_contribution_eur is None:
            unknown += 1
        else:
            total += project.eu_contribution_eur
            counted_projects += 1
            counted_iati += project.source_kind == ProjectSourceKind.IATI
    total += sum((call.total_amount_eur for call in counted.values()), Decimal(0))
    known = bool(counted) or counted_projects > 0
    return ProjectsContribution(
        total=total if known else None,
        packages_counted=len(counted),
        projects_counted=counted_projects,
        projects_counted_iati=counted_iati,
        projects_amount_unknown=unknown,
    )
