"""The writes of a spreadsheet import in bulk: a fixed number of queries whatever the file's length.

Row by row, an import of 900 projects sent about 70,000 queries (the lookups of each cell, the
record's constraint checks, its save, each many-to-many `.set()`, the history of each) and died at
the worker's 30 s limit. Here each step is done once for the whole file (dialogues/import_export.py
calls these): the constraints of every record in one query per few hundred records, the records by
`bulk_create`/`bulk_update`, their many-to-many rows, then one history entry per record (type, user,
"Imported from the spreadsheet …", and its many-to-many state) as django-simple-history would have
written it, and one cache bump.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

from .constraint_messages import MESSAGES, NON_FIELD_ERRORS
from .history import has_history

MAX_PARAMETERS = 65_535  # where the database states no limit of its own (SQLite does: 32,766)

# Sent (sender: the model) once records of a model were written in bulk, as no save or delete
# signal tells of them: in the writes' transaction, so that what a receiver keeps of them (the
# known contribution's cells, funding/summaries.py) is written or rolled back with them.
written_in_bulk = Signal()


def check_constraint_errors(model, instances, excludes):
    """{index: {field: [message]}} of the CheckConstraints `instances` violate, in plain language.

    CheckConstraint.validate() asks the database once per record and constraint (in a savepoint:
    three round trips). Here each constraint's condition is compiled once, over the columns of a
    VALUES list holding every record's values, and one query per constraint names the records that
    break it (NULL passes, as in the database)."""
    using = router.db_for_write(model)
    connection = connections[using]
    errors = {}
    for owner, constraints in model._meta.model().get_constraints():
        for constraint in constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            names = sorted(constraint.condition.referenced_base_fields)
            fields = [owner._meta.pk if name == "pk" else owner._meta.get_field(name) for name in names]
            checked = [
                index
                for index, exclude in enumerate(excludes)
                if not (exclude and constraint._expression_refs_exclude(owner, constraint.condition, exclude))
            ]
            condition_sql, condition_params = _condition_sql(constraint.condition, names, fields, connection, using)
            per_query = max(
                1,
                ((connection.features.max_query_params or MAX_PARAMETERS) - len(condition_params)) // (1 + len(fields)),
            )
            for start in range(0, len(checked), per_query):
                chunk = checked[start : start + per_query]
                rows = ", ".join(["(" + ", ".join(["%s"] * (1 + len(fields))) + ")"] * len(chunk))
                params = [
                    value
                    for index in chunk
                    for value in (
                        index,
                        *(
                            field.get_db_prep_value(getattr(instances[index], field.attname), connection)
                            for field in fields
                        ),
                    )
                ]
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT t.column1 FROM (VALUES {rows}) AS t WHERE NOT EXISTS ({condition_sql})",
                        [*params, *condition_params],
                    )
                    broken = [index for (index,) in cursor.fetchall()]
                field, message = MESSAGES.get(constraint.name, (NON_FIELD_ERRORS, None))
                for index in broken:
                    errors.setdefault(index, {}).setdefault(field, []).append(
                        message or constraint.get_violation_error_message()
                    )
    return errors


def _condition_sql(condition, names, fields, connection, using):
    """What Q.check() asks for a CheckConstraint (a row when the condition holds), with each field
    read from the column of the VALUES list named `t` that holds it (column1 is the record's index)."""
    if connection.features.supports_comparing_boolean_expr:
        condition = Coalesce(condition, True, output_field=BooleanField())  # UNKNOWN passes, as in SQL
    query = Query(None)
    for number, (name, field) in enumerate(zip(names, fields, strict=True), start=2):
        column = f"t.column{number}"
        if connection.vendor == "postgresql":  # a VALUES column of NULLs only would be text
            column = f"CAST({column} AS {field.cast_db_type(connection)})"
        query.add_annotation(RawSQL(column, [], output_field=field), name, select=False)
    query.add_annotation(Value(1), "_check")
    query.add_q(Q(condition))
    try:
        return query.get_compiler(using=using).as_sql()
    except EmptyResultSet:  # a condition no row can meet
        return "SELECT 1 WHERE 1 = 0", []


def update_in_bulk(model, instances, names):
    """What `bulk_update(instances, names)` writes, as UPDATE ... FROM (VALUES ...), one statement
    per as many records as the database takes parameters for: Django's bulk_update() builds a
    CASE WHEN per record and field, 8 ms a record at 19 fields (an IATI import's updated projects).
    Reads each value as bulk_update() does (no pre_save(): set auto_now fields yourself); sends no
    signal."""
    if not instances:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns = [pk, *(model._meta.get_field(name) for name in names)]
    per_query = max(1, (connection.features.max_query_params or MAX_PARAMETERS) // len(columns))
    table = quote(model._meta.db_table)

    def value(number, field):
        column = f"t.column{number}"
        if connection.vendor == "postgresql":  # a VALUES column of text literals or NULLs only is text
            return f"CAST({column} AS {field.cast_db_type(connection)})"
        return column

    assignments = ", ".join(f"{quote(field.column)} = {value(n, field)}" for n, field in enumerate(columns[1:], 2))
    with connection.cursor() as cursor:
        for start in range(0, len(instances), per_query):
            chunk = instances[start : start + per_query]
            rows = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {rows}) AS t"
                f" WHERE {table}.{quote(pk.column)} = {value(1, pk)}",
                [
                    field.get_db_prep_save(getattr(instance, field.attname), connection)
                    for instance in chunk
                    for field in columns
                ],
            )


def write_many_to_many(model, saved, chosen):
    """Replace the many-to-many rows of the `saved` records ((instance, created) pairs) with the
    `chosen` ones ({instance pk: {field name: [records]}}); gives the through rows written, by field."""
    written = {}
    updated = [instance.pk for instance, created in saved if not created]
    for name in {name for by_field in chosen.values() for name in by_field}:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        if updated:
            # one DELETE: QuerySet.delete() would read the rows first and send a signal for each,
            # as the portal's cache listens to every model's deletes (the import bumps it once)
            stale = through.objects.filter(**{f"{source}__in": updated})
            stale._raw_delete(stale.db)
        rows = [
            through(**{f"{source}_id": pk, f"{target}_id": record.pk})
            for pk, by_field in chosen.items()
            for record in by_field.get(name, ())
        ]
        written[name] = through.objects.bulk_create(rows)
    return written


def write_history(model, saved, *, user, reason):
    """One history entry per saved record, as django-simple-history writes it for a save followed
    by its many-to-many changes, merged into one (dialogues/history.py): "+" for a new record, "~"
    for a changed one, with the user, the reason and the record's many-to-many state.

    Copied by the database from the rows just written (INSERT ... SELECT): building a historical
    instance in Python cost as much as importing its row."""
    if not has_history(model) or not saved:
        return
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    copied = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    pk = quote(model._meta.pk.column)
    per_query = (connection.features.max_query_params or MAX_PARAMETERS) - 10
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({quote('history_id')}), 0) FROM {quote(history._meta.db_table)}")
        (since,) = cursor.fetchone()
        now = timezone.now()
        for created in (True, False):
            ids = [instance.pk for instance, was_created in saved if was_created is created]
            for start in range(0, len(ids), per_query):
                chunk = ids[start : start + per_query]
                columns = ", ".join(quote(column) for column in copied)
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_change_reason,"
                    f" history_type, history_user_id) SELECT {columns}, %s, %s, %s, %s"
                    f" FROM {quote(model._meta.db_table)} WHERE {pk} IN ({', '.join(['%s'] * len(chunk))})",
                    [
                        history._meta.get_field("history_date").get_db_prep_value(now, connection),
                        reason,
                        "+" if created else "~",
                        getattr(user, "pk", None),
                        *chunk,
                    ],
                )
        ids = [instance.pk for instance, _created in saved]
        for field in history._history_m2m_fields:
            through = getattr(model, field.name).through
            source = through._meta.get_field(get_m2m_field_name(field)).column
            m2m_history = HistoricalRecords.m2m_models[field]
            columns = [f.column for f in through._meta.concrete_fields]
            for start in range(0, len(ids), per_query):
                chunk = ids[start : start + per_query]
                cursor.execute(
                    f"INSERT INTO {quote(m2m_history._meta.db_table)} ({', '.join(quote(c) for c in columns)},"
                    f" {quote('history_id')}) SELECT {', '.join('t.' + quote(c) for c in columns)}, h.history_id"
                    f" FROM {quote(through._meta.db_table)} t JOIN {quote(history._meta.db_table)} h"
                    f" ON h.{pk} = t.{quote(source)} AND h.history_id > %s"
                    f" WHERE t.{quote(source)} IN ({', '.join(['%s'] * len(chunk))})",
                    [since, *chunk],
                )
