"""The known EU contribution's cells (funding.models.ContributionCell), kept up to date as edits
are made, so that the figure after an edit is read, not computed.

Computed whole, the figure groups every published project (2.7 s at a million projects, every
time an edit dropped it). The rule (funding/aggregates.py: rule_cells) is additive: each record
adds to its own cells whatever the others do. So an edit changes the cells only of the records
whose figures it can change, and those are computed before and after the write, in its
transaction; the difference is added to the stored cells:

- a project saved: itself, and its IATI parent before and after (a parent counts only while
  it has no published child);
- a project's countries changed: itself;
- a call saved: its projects and its parts' (its total may cover theirs), itself and its parts;
- a programme saved: the calls and projects under it (unpublished, none of them counts).

Each edit locks the ledger's row first, so that edits adjust the cells one after another. A write
that cannot say what it changed clears the ledger instead (`forget`), and the next read computes
the cells whole (`rebuild`): bulk writes (the imports rebuild them before they commit), loading
fixtures, deletions (rare, and a deletion sets other records' links to null without a signal), a
save outside a transaction (its before and after would not be one view of the rows) and
migrations.
"""

import logging

from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save

from dialogues.import_bulk import written_in_bulk
from dialogues.models import Country

from . import aggregates
from .models import Call, ContributionCell, ContributionLedger, Programme, Project

logger = logging.getLogger(__name__)
LEDGER = 1  # the ledger's one row
NONE = 0  # how a cell's key stores None (overall, not stated, no year)


KEY = ("scope", "programme", "year")
STORED = ("amount_eur", "calls", "projects", "projects_iati", "projects_amount_unknown")  # Cell's fields


def _stored_key(key):
    return tuple(NONE if part is None else part for part in key)


def _new_row(stored_key, cell):
    return ContributionCell(**dict(zip(KEY, stored_key, strict=True)), **_stored_fields(cell))


def _read_key(stored_key):
    return tuple(None if part == NONE else part for part in stored_key)


def _cell_of(row):
    return aggregates.Cell(*(getattr(row, name) for name in STORED))


def _stored_fields(cell):
    return dict(zip(STORED, (getattr(cell, name) for name in aggregates.Cell.FIELDS), strict=True))


# --- Reading and rebuilding


def stored_cells():
    """{(scope, programme, year): Cell}, the rule's figures for the records as they are: the
    stored cells, rebuilt first if a write cleared the ledger. Two queries when they are built."""
    if not ContributionLedger.objects.filter(pk=LEDGER, built=True).exists():
        rebuild()
    rows = ContributionCell.objects.values_list(*KEY, *STORED)  # thousands at a million projects: no instances
    return {_read_key(row[:3]): aggregates.Cell(*row[3:]) for row in rows}


def rebuild(*, force=False):
    """Compute every cell whole and store them, unless another request has just done it (`force`:
    even then). Takes the ledger's lock: edits wait for the cells to be whole again."""
    alias = ContributionCell.objects.db
    with transaction.atomic(using=alias):
        ContributionLedger.objects.bulk_create([ContributionLedger(pk=LEDGER)], ignore_conflicts=True)
        built = ContributionLedger.objects.select_for_update().filter(pk=LEDGER).values_list("built", flat=True)
        if built.get() and not force:
            return
        cells = aggregates.rule_cells()
        ContributionCell.objects.all()._raw_delete(alias)  # one DELETE: the table has no relations
        ContributionCell.objects.bulk_create(_new_row(_stored_key(key), cell) for key, cell in cells.items())
        ContributionLedger.objects.filter(pk=LEDGER).update(built=True)


def forget():
    """The stored cells may no longer be the records' figures: the next read rebuilds them."""
    ContributionLedger.objects.filter(pk=LEDGER).update(built=False)


# --- Adjusting them, edit by edit


class _Change:
    """The records an edit may change the figures of, and their cells before the write.
    `select(pk)`: (calls, projects) querysets of them, given the saved record's primary key (None
    before its first save): the same records before and after, and the new record once it has one."""

    def __init__(self, select, pk):
        self.select = select
        self.before = aggregates.rule_cells(*select(pk))

    def apply(self, pk):
        """Add to the stored cells what the write changed in its records' cells."""
        after = aggregates.rule_cells(*self.select(pk))
        changes = {}
        for key in self.before.keys() | after.keys():
            difference = after.get(key, aggregates.Cell()) - self.before.get(key, aggregates.Cell())
            if difference:
                changes[_stored_key(key)] = difference
        if changes:
            _add(changes)


def _add(changes):
    """Add `changes` ({stored key: Cell difference}) to the stored cells, in four queries at most."""
    keys = Q()
    for scope, programme, year in changes:
        keys |= Q(scope=scope, programme=programme, year=year)
    stored = {(row.scope, row.programme, row.year): row for row in ContributionCell.objects.filter(keys)}
    created, updated, emptied = [], [], []
    for key, difference in sorted(changes.items()):
        row = stored.get(key)
        cell = difference if row is None else _cell_of(row) + difference
        if not cell:
            if row is not None:
                emptied.append(row.pk)
        elif row is None:
            created.append(_new_row(key, cell))
        else:
            for name, value in _stored_fields(cell).items():
                setattr(row, name, value)
            updated.append(row)
    if emptied:
        ContributionCell.objects.filter(pk__in=emptied)._raw_delete(ContributionCell.objects.db)  # no signals
    if updated:
        ContributionCell.objects.bulk_update(updated, list(STORED))
    if created:
        ContributionCell.objects.bulk_create(created)


def _maintained(using):
    """Whether an edit on `using` adjusts the cells (they are built, and it is in a transaction,
    which this locks the ledger in until its end); else it clears the ledger."""
    if not connections[using].in_atomic_block:
        forget()
        return False
    built = ContributionLedger.objects.using(using).select_for_update().filter(pk=LEDGER)
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


def _before_save(sender, instance, raw=False, using="default", **kwargs):
    if sender not in CHANGES:
        return
    if raw:  # loading fixtures: the rows it refers to may not be there yet
        forget()
    elif _maintained(using):
        instance._contribution_change = _Change(CHANGES[sender](instance), instance.pk)


def _after_save(sender, instance, **kwargs):
    if (change := instance.__dict__.pop("_contribution_change", None)) is not None:
        change.apply(instance.pk)


def _countries_changed(sender, instance, action, reverse, using="default", **kwargs):
    if sender is not Project.countries.through:
        return
    if reverse:  # a country's projects: maybe thousands of them
        forget()
    elif action.startswith("pre_"):
        if _maintained(using):
            select = lambda pk: (Call.objects.none(), Project.objects.filter(pk=pk))  # noqa: E731
            instance._contribution_countries = _Change(select, instance.pk)
    elif (change := instance.__dict__.pop("_contribution_countries", None)) is not None:
        change.apply(instance.pk)


def _written_in_bulk(sender, **kwargs):
    if sender in CHANGES or sender is Country:
        rebuild(force=True)


def _deleted(sender, **kwargs):
    if sender in CHANGES or sender is Country:
        forget()


def _migrated(sender, using="default", **kwargs):
    """A migration may have changed records without a signal: the cells are computed whole (at
    once on a new database, which then keeps them up to date from its first record on). If the
    records cannot be read as the rule reads them (a migration backwards), the next read does it."""
    tables = connections[using].introspection.table_names()
    if sender.label != "funding" or ContributionLedger._meta.db_table not in tables:
        return
    try:
        rebuild(force=True)
    except DatabaseError:
        logger.warning("The known EU contribution's cells are left to rebuild after the migration", exc_info=True)
        forget()


def connect():
    """Keep the cells up to date (funding/apps.py)."""
    pre_save.connect(_before_save, dispatch_uid="contribution-cells-before-save")
    post_save.connect(_after_save, dispatch_uid="contribution-cells-after-save")
    m2m_changed.connect(_countries_changed, dispatch_uid="contribution-cells-countries")
    post_delete.connect(_deleted, dispatch_uid="contribution-cells-deleted")
    written_in_bulk.connect(_written_in_bulk, dispatch_uid="contribution-cells-bulk")
    post_migrate.connect(_migrated, dispatch_uid="contribution-cells-migrated")
