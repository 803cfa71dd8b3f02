"""The summary tables, kept up to date as edits are made, so that the figures after an edit are
read, not computed: the known EU contribution's cells (funding.models.ContributionCell), their
counted amounts summed by scope and year (ContributionYear) and the published projects' counts by
country and topic (ProjectCount).

Computed whole, each groups every published project (the contribution 2.7 s at a million
projects, the counts of a country page 0.8 s, every time an edit dropped them). Both are
additive: each record adds to its own keys whatever the others do (funding/aggregates.py:
rule_cells; project_counts below). So an edit changes the figures only of the records it can
change, and those are computed before and after the write, in its transaction; the difference
is added to the stored rows:

- a project saved: itself, and its IATI parent before and after (a parent counts only while
  it has no published child);
- a project's countries or topics changed: itself;
- a call saved: its projects and its parts' (its total may cover theirs), itself and its parts;
- a programme saved: the calls and projects under it (unpublished, none of them counts).

Each edit locks the ledger's row first, so that edits adjust the tables one after another. A
write that cannot say what it changed clears the ledger instead (`forget`), and the next read
computes the tables whole (`rebuild`): bulk writes (the imports rebuild them before they
commit), loading fixtures, deletions (rare, and a deletion sets other records' links to null
without a signal), a save outside a transaction (its before and after would not be one view of
the rows) and migrations.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, connections, transaction
from django.db.models import Count, Exists, Max, Min, Q, Sum
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save

from dialogues.import_bulk import written_in_bulk
from dialogues.models import Country, Topic
from dialogues.publishing import PublicationStatus
from dialogues.sql_expressions import ids_in, related_ids

from . import aggregates
from .models import Call, ContributionCell, ContributionYear, Programme, Project, ProjectCount, SummaryLedger

logger = logging.getLogger(__name__)
LEDGER = 1  # the ledger's one row
NONE = 0  # how a stored key holds None (every country, not stated, no year, every topic)


def project_counts_of(projects):
    """{(scope, topic): how many published projects among `projects` work there on it}; scope and
    topic None: every country, every topic. In one grouped query."""
    projects = projects.filter(publication_status=PublicationStatus.PUBLISHED)
    groups = (
        projects.annotate(in_countries=related_ids(projects, "countries"), on_topics=related_ids(projects, "topics"))
        .values("in_countries", "on_topics")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = defaultdict(int)
    for row in aggregates.streamed(groups):
        for scope in (None, *ids_in(row["in_countries"])):
            for topic in (None, *ids_in(row["on_topics"])):
                counts[scope, topic] += row["n"]
    return dict(counts)


@dataclass(frozen=True)
class YearSum:
    """What the records of one scope and year add to the known contribution, over every
    programme: the amount of those that count and how many they are. Summed from cells, which
    hold an amount only where records count, so sums of cells add up as the cells do."""

    amount: Decimal = Decimal(0)
    records: int = 0

    def __add__(self, other):
        return YearSum(self.amount + other.amount, self.records + other.records)

    def __sub__(self, other):
        return YearSum(self.amount - other.amount, self.records - other.records)

    def __bool__(self):
        return bool(self.amount or self.records)


def year_sums_of(cells):
    """{(scope, year): YearSum} of {(scope, programme, year): Cell}."""
    sums = defaultdict(YearSum)
    for (scope, _programme, year), cell in cells.items():
        sums[scope, year] += YearSum(cell.amount, cell.calls + cell.projects)
    return {key: value for key, value in sums.items() if value}


@dataclass(frozen=True, eq=False)  # each table is itself: compared and hashed by identity
class _Table:
    """A summary table: its model, the fields of its key and of its value, and how the value of
    the records selected is computed ({key: value}; values add and subtract, and are false when
    nothing counts): from the records, or (`folds`) from another table's values for them."""

    model: type
    key: tuple
    fields: tuple
    compute: object  # (calls, projects) -> {key: value}; with `folds`: ({its key: value}) -> {key: value}
    value_of: object  # the stored fields' values -> value
    stored: object  # value -> the stored fields' values
    zero: object  # the value of nothing
    calls_matter: bool  # whether a call's or a programme's edit can change it
    folds: object = None  # the table whose values this one's are computed from, which comes first

    def read(self, **where):
        """{key: value} of the stored rows (`where`: of some of them), read once the tables are
        built (_when_built)."""
        rows = self.model.objects.filter(**where).values_list(*self.key, *self.fields)  # thousands: no instances
        width = len(self.key)
        return {_read_key(row[:width]): self.value_of(row[width:]) for row in _when_built(rows)}

    def row(self, stored_key, value):
        return self.model(
            **dict(zip(self.key, stored_key, strict=True)), **dict(zip(self.fields, self.stored(value), strict=True))
        )

    def replace(self, values):
        self.model.objects.all()._raw_delete(self.model.objects.db)  # one DELETE: no relations, no signals
        self.model.objects.bulk_create(self.row(_stored_key(key), value) for key, value in values.items())

    def add(self, changes):
        """Add `changes` ({stored key: difference}) to the stored rows, in four queries at most."""
        keys = Q()
        for key in changes:
            keys |= Q(**dict(zip(self.key, key, strict=True)))
        stored = {tuple(getattr(row, name) for name in self.key): row for row in self.model.objects.filter(keys)}
        created, updated, emptied = [], [], []
        for key, difference in sorted(changes.items()):
            row = stored.get(key)
            value = (
                difference if row is None else self.value_of([getattr(row, name) for name in self.fields]) + difference
            )
            if not value:
                if row is not None:
                    emptied.append(row.pk)
            elif row is None:
                created.append(self.row(key, value))
            else:
                for name, stored_value in zip(self.fields, self.stored(value), strict=True):
                    setattr(row, name, stored_value)
                updated.append(row)
        if emptied:
            self.model.objects.filter(pk__in=emptied)._raw_delete(self.model.objects.db)  # no signals
        if updated:
            self.model.objects.bulk_update(updated, list(self.fields))
        if created:
            self.model.objects.bulk_create(created)


# ContributionCell's fields, in the order of Cell's (the stored amount is in euros)
CELL_FIELDS = tuple("amount_eur" if name == "amount" else name for name in aggregates.Cell.FIELDS)
CONTRIBUTION = _Table(
    model=ContributionCell,
    key=("scope", "programme", "year"),
    fields=CELL_FIELDS,
    compute=lambda calls, projects: aggregates.rule_cells(calls=calls, projects=projects),
    value_of=lambda values: aggregates.Cell(*values),
    stored=lambda cell: [getattr(cell, name) for name in aggregates.Cell.FIELDS],
    zero=aggregates.Cell(),
    calls_matter=True,
)
YEARS = _Table(
    model=ContributionYear,
    key=("scope", "year"),
    fields=("amount_eur", "records"),
    compute=year_sums_of,
    value_of=lambda values: YearSum(*values),
    stored=lambda sums: [sums.amount, sums.records],
    zero=YearSum(),
    calls_matter=True,
    folds=CONTRIBUTION,
)
COUNTS = _Table(
    model=ProjectCount,
    key=("scope", "topic"),
    fields=("projects",),
    compute=lambda calls, projects: project_counts_of(Project.objects.all() if projects is None else projects),
    value_of=lambda values: values[0],
    stored=lambda count: [count],
    zero=0,
    calls_matter=False,
)
TABLES = (CONTRIBUTION, YEARS, COUNTS)


def _computed(tables, calls, projects):
    """[{key: value}] of each table of `tables` for the records selected (None: every one); a
    table folded from another is computed from that one's values, not from the records again."""
    values = {}
    for table in tables:
        if table.folds is None:
            values[table] = table.compute(calls, projects)
        else:
            values[table] = table.compute(values[table.folds])
    return [values[table] for table in tables]


def stored_tables():
    """[{key: value}] of each summary table as stored: to compare with `computed_tables()`."""
    return [table.read() for table in TABLES]


def computed_tables():
    """[{key: value}] of each summary table computed from every record, without storing it."""
    return _computed(TABLES, None, None)


def _stored_key(key):
    return tuple(NONE if part is None else part for part in key)


def _read_key(stored_key):
    return tuple(None if part == NONE else part for part in stored_key)


# --- Reading and rebuilding


def _built():
    """The tables, rebuilt first if a write cleared the ledger (one query when they are built)."""
    if not SummaryLedger.objects.filter(pk=LEDGER, built=True).exists():
        rebuild()


BUILT = Exists(SummaryLedger.objects.filter(pk=LEDGER, built=True))


def _when_built(rows):
    """The rows of `rows`, a read of the tables, in one query while they are built: the read asks
    the ledger in the same statement (so in the same snapshot). Only an empty answer asks it again,
    rebuilding the tables if a write cleared it, and reads them once more."""
    found = list(rows.filter(BUILT))
    if found:
        return found
    _built()
    return list(rows)


EVERY_SCOPE = object()


def stored_cells(scope=EVERY_SCOPE):
    """{(scope, programme, year): Cell}: the known contribution's cells for the records as they
    are, of every scope or of one (None: the overall figure); one query while they are built."""
    return CONTRIBUTION.read() if scope is EVERY_SCOPE else CONTRIBUTION.read(scope=_stored_key([scope])[0])


COUNTED = Q(calls__gt=0) | Q(projects__gt=0)  # aggregates.Cell.counted, in SQL


def year_sums_by_scope():
    """{scope: {year or None: amount}} of the scopes where some amount counts (the others' figure
    is unknown): the stored sums of the cells by scope and year, a couple of hundred rows, in one
    query while they are built."""
    sums = defaultdict(dict)
    for (scope, year), year_sum in YEARS.read().items():
        sums[scope][year] = year_sum.amount
    return dict(sums)


@dataclass(frozen=True)
class ProgrammeSums:
    """One programme's cells in a scope, summed: the amount of those that count (None: none does),
    the years they are of (None: none known), and the cells' counts."""

    amount: object
    first_year: int | None
    last_year: int | None
    calls: int
    projects: int
    projects_iati: int
    projects_amount_unknown: int


def scope_sums(scope):
    """({programme id or None: ProgrammeSums}, {year or None: amount}) of one scope's cells (None:
    the overall figure), summed in the database whatever their number (1,300 cells a country at a
    million synthetic projects): two queries while they are built."""
    cells = ContributionCell.objects.filter(scope=_stored_key([scope])[0])
    dated = COUNTED & ~Q(year=NONE)
    per_programme = (
        cells.values_list("programme")
        .annotate(
            amount=Sum("amount_eur", filter=COUNTED),
            first_year=Min("year", filter=dated),
            last_year=Max("year", filter=dated),
            **{f"{name}_sum": Sum(name) for name in ("calls", "projects", "projects_iati", "projects_amount_unknown")},
        )
        .order_by()
    )
    programmes = {_read_key([row[0]])[0]: ProgrammeSums(*row[1:]) for row in _when_built(per_programme)}
    years = YEARS.read(scope=_stored_key([scope])[0])
    return programmes, {year: year_sum.amount for (_scope, year), year_sum in years.items()}


def project_counts():
    """{(scope, topic): how many published projects}, scope and topic None for every country and
    every topic; a pair missing has none (one query while they are built)."""
    return COUNTS.read()


def rebuild(*, force=False):
    """Compute every table whole and store it, unless another request has just done it (`force`:
    even then). Takes the ledger's lock: edits wait for the tables to be whole again."""
    with transaction.atomic(using=SummaryLedger.objects.db):
        SummaryLedger.objects.bulk_create([SummaryLedger(pk=LEDGER)], ignore_conflicts=True)
        built = SummaryLedger.objects.select_for_update().filter(pk=LEDGER).values_list("built", flat=True)
        if built.get() and not force:
            return
        for table, values in zip(TABLES, computed_tables(), strict=True):
            table.replace(values)
        SummaryLedger.objects.filter(pk=LEDGER).update(built=True)


def forget():
    """The stored tables may no longer be the records' figures: the next read rebuilds them."""
    SummaryLedger.objects.filter(pk=LEDGER).update(built=False)


# --- Adjusting them, edit by edit


class _Change:
    """The records an edit may change the figures of, and their figures before the write.
    `select(pk)`: (calls, projects) querysets of them, given the saved record's primary key (None
    before its first save): the same records before and after, and the new record once it has
    one. `tables`: those the edit can change."""

    def __init__(self, select, pk, tables=TABLES):
        self.select, self.tables = select, tables
        self.before = _computed(tables, *select(pk))

    def apply(self, pk):
        """Add to the stored tables what the write changed in its records' figures."""
        for table, before, after in zip(
            self.tables, self.before, _computed(self.tables, *self.select(pk)), strict=True
        ):
            changes = {}
            for key in before.keys() | after.keys():
                difference = after.get(key, table.zero) - before.get(key, table.zero)
                if difference:
                    changes[_stored_key(key)] = difference
            if changes:
                table.add(changes)


def _maintained(using):
    """Whether an edit on `using` adjusts the tables (they are built, and it is in a transaction,
    which this locks the ledger in until its end); else it clears the ledger."""
    if not connections[using].in_atomic_block:
        forget()
        return False
    built = SummaryLedger.objects.using(using).select_for_update().filter(pk=LEDGER)
    return bool(built.values_list("built", flat=True).first())


def _project_change(instance):
    ids = {instance.iati_parent_id}
    if instance.pk is not None:  # the parent it had, which may count again
        ids |= set(Project.objects.filter(pk=instance.pk).order_by().values_list("iati_parent", flat=True))

    def select(pk):
        return Call.objects.none(), Project.objects.filter(pk__in={pk, *ids} - {None})

    return select


def _call_change(instance):
    ids = set()
    if instance.pk is not None:  # itself and its parts
        ids = {instance.pk, *Call.objects.filter(parent=instance.pk).order_by().values_list("pk", flat=True)}

    def select(pk):
        calls = {pk, *ids} - {None}
        return Call.objects.filter(pk__in=calls), Project.objects.filter(call__in=calls)

    return select


def _programme_change(instance):
    def select(pk):
        pk = pk or NONE  # a new programme has no records yet
        calls = Call.objects.filter(Q(programme=pk) | Q(parent__programme=pk))
        projects = Project.objects.filter(Q(programme=pk) | Q(call__programme=pk) | Q(call__parent__programme=pk))
        return calls, projects

    return select


CHANGES = {Project: _project_change, Call: _call_change, Programme: _programme_change}
# the many-to-many relations the tables read, and those each changes: the countries both, the topics the counts
RELATIONS = {Project.countries.through: TABLES, Project.topics.through: (COUNTS,)}
READ = {*CHANGES, Country, Topic}  # the models whose rows the tables read


def _before_save(sender, instance, raw=False, using="default", **kwargs):
    if sender not in CHANGES:
        return
    if raw:  # loading fixtures: the rows it refers to may not be there yet
        forget()
    elif _maintained(using):
        tables = TABLES if sender is Project else tuple(table for table in TABLES if table.calls_matter)
        instance._summary_change = _Change(CHANGES[sender](instance), instance.pk, tables)


def _after_save(sender, instance, **kwargs):
    if (change := instance.__dict__.pop("_summary_change", None)) is not None:
        change.apply(instance.pk)


def _relation_changed(sender, instance, action, reverse, using="default", **kwargs):
    if sender not in RELATIONS:
        return
    if reverse:  # a country's or a topic's projects: maybe thousands of them
        forget()
    elif action.startswith("pre_"):
        if _maintained(using):
            select = lambda pk: (Call.objects.none(), Project.objects.filter(pk=pk))  # noqa: E731
            instance._summary_relation = _Change(select, instance.pk, RELATIONS[sender])
    elif (change := instance.__dict__.pop("_summary_relation", None)) is not None:
        change.apply(instance.pk)


def _written_in_bulk(sender, **kwargs):
    if sender in READ:
        rebuild(force=True)


def _deleted(sender, **kwargs):
    if sender in READ:
        forget()


def _migrated(sender, using="default", **kwargs):
    """A migration may have changed records without a signal: the tables are computed whole (at
    once on a new database, which then keeps them up to date from its first record on). If the
    records cannot be read as the rule reads them (a migration backwards), the next read does it."""
    tables = connections[using].introspection.table_names()
    if sender.label != "funding" or SummaryLedger._meta.db_table not in tables:
        return
    try:
        rebuild(force=True)
    except DatabaseError:
        logger.warning("The summary tables are left to rebuild after the migration", exc_info=True)
        forget()


def connect():
    """Keep the tables up to date (funding/apps.py)."""
    pre_save.connect(_before_save, dispatch_uid="summaries-before-save")
    post_save.connect(_after_save, dispatch_uid="summaries-after-save")
    m2m_changed.connect(_relation_changed, dispatch_uid="summaries-relations")
    post_delete.connect(_deleted, dispatch_uid="summaries-deleted")
    written_in_bulk.connect(_written_in_bulk, dispatch_uid="summaries-bulk")
    post_migrate.connect(_migrated, dispatch_uid="summaries-migrated")
