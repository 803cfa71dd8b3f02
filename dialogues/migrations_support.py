"""Migration operations that only some database vendors take."""

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.RunPython):
    """Add an index (e.g. a GIN full-text index) on PostgreSQL only; other vendors skip it."""

    def __init__(self, app_label, model_name, index):
        self.index = index
        self.model_label = (app_label, model_name)
        super().__init__(self.add, self.remove, elidable=False)

    def add(self, apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(apps.get_model(*self.model_label), self.index)

    def remove(self, apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(apps.get_model(*self.model_label), self.index)


class RunSQLOnPostgreSQL(migrations.RunPython):
    """SQL for PostgreSQL only (e.g. an index over columns only PostgreSQL has); others skip it."""

    def __init__(self, sql, reverse_sql):
        self.sql, self.reverse_sql = sql, reverse_sql
        super().__init__(self.add, self.remove, elidable=False)

    def add(self, apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.sql)

    def remove(self, apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.reverse_sql)


def search_document_sql(fields, configs=("english", "russian")):
    """The SQL of a model's search document: the same words, configurations and order as
    dialogues.search.search_vector(fields)."""
    text = " || ' ' || ".join(f"COALESCE({field}::text, '')" for field in fields)
    return " || ".join(f"to_tsvector('{config}'::regconfig, {text})" for config in configs)


class AddStoredSearchDocument(migrations.RunPython):
    """On PostgreSQL, a stored generated tsvector column `search_document` with a GIN index,
    replacing the expression index `<model>_fulltext`; other vendors skip it."""

    def __init__(self, app_label, model_name, fields):
        self.model_label, self.fields = (app_label, model_name), fields
        super().__init__(self.add, self.remove, elidable=False)

    def add(self, apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(*self.model_label)._meta.db_table
        name = self.model_label[1]
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN search_document tsvector '
            f"GENERATED ALWAYS AS ({search_document_sql(self.fields)}) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{name}_search_document" ON "{table}" USING gin (search_document)')
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}_fulltext"')

    def remove(self, apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        from dialogues.search import search_index

        model = apps.get_model(*self.model_label)
        schema_editor.execute(f'ALTER TABLE "{model._meta.db_table}" DROP COLUMN search_document')
        schema_editor.add_index(model, search_index(self.model_label[1], self.fields))


class AddRelationArrays(migrations.RunPython):
    """On PostgreSQL, one `bigint[]` column per many-to-many relation of a table, holding the
    related ids (sorted), kept equal to the relation's rows by statement-level triggers on its
    through table; and a covering index in the listing's order that includes them.

    A listing filtered by country and topic then walks that index and tests each entry's arrays,
    never touching the table or probing the through tables row by row: a page costs the same at a
    million rows as at ten thousand (dialogues/filtersets.py, CodeListFilter). The triggers skip
    rows whose arrays are already right, so a bulk load that writes them itself (the synthetic
    data's COPY) costs one comparison per row. TRUNCATE of a through table alone is not followed
    (Django truncates all tables together). The index replaces one of the same name and order
    without the arrays, if there is one. Other vendors skip this; their filters use the through
    tables.
    """

    def __init__(self, app_label, model_name, arrays, index_name, index_columns, index_condition):
        self.model_label, self.arrays = (app_label, model_name), arrays
        self.index = (index_name, index_columns, index_condition)
        super().__init__(self.add, self.remove, elidable=False)

    def relations(self, apps):
        model = apps.get_model(*self.model_label)
        for relation, column in self.arrays.items():
            field = model._meta.get_field(relation)
            through = field.remote_field.through._meta.db_table
            own = field.m2m_column_name()
            target = field.m2m_reverse_name()
            yield model._meta.db_table, column, through, own, target

    def add(self, apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        filled = []  # the existing rows' arrays: one pass over the table for all of them
        for table, column, through, own, target in self.relations(apps):
            function = f"{table}_{column}_sync"
            fresh = (
                f'SELECT changed.id, COALESCE(array_agg(r."{target}" ORDER BY r."{target}")'
                f" FILTER (WHERE r.\"{target}\" IS NOT NULL), '{{}}') AS ids"
                f' FROM (SELECT DISTINCT "{own}" AS id FROM {{rows}}) changed'
                f' LEFT JOIN "{through}" r ON r."{own}" = changed.id GROUP BY changed.id'
            )
            update = (
                f'UPDATE "{table}" t SET "{column}" = fresh.ids FROM ({fresh}) fresh'
                f' WHERE t.id = fresh.id AND t."{column}" IS DISTINCT FROM fresh.ids;'
            )
            schema_editor.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" bigint[] NOT NULL DEFAULT \'{{}}\'')
            filled.append(
                f'"{column}" = COALESCE((SELECT array_agg("{target}" ORDER BY "{target}") FROM "{through}"'
                f" WHERE \"{own}\" = t.id), '{{}}')"
            )
            schema_editor.execute(
                f'CREATE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
                f"BEGIN\n"
                f"  IF TG_OP IN ('INSERT', 'UPDATE') THEN {update.replace('{rows}', 'new_rows')} END IF;\n"
                f"  IF TG_OP IN ('DELETE', 'UPDATE') THEN {update.replace('{rows}', 'old_rows')} END IF;\n"
                f"  RETURN NULL;\n"
                f"END $$"
            )
            for event, transition in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ):
                schema_editor.execute(
                    f'CREATE TRIGGER "{function}_{event.lower()}" AFTER {event} ON "{through}"'
                    f' REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION "{function}"()'
                )
        schema_editor.execute(f'UPDATE "{table}" t SET {", ".join(filled)}')
        name, columns, condition = self.index
        included = ", ".join(f'"{column}"' for column in self.arrays.values())
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the updates' deferred FK checks: no
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')  # index may change a table with them
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ({columns}) INCLUDE ({included}) WHERE {condition}')

    def remove(self, apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        name, columns, condition = self.index
        table = apps.get_model(*self.model_label)._meta.db_table
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ({columns}) WHERE {condition}')
        for table, column, through, _own, _target in self.relations(apps):
            function = f"{table}_{column}_sync"
            for event in ("insert", "delete", "update"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{function}_{event}" ON "{through}"')
            schema_editor.execute(f'DROP FUNCTION IF EXISTS "{function}"()')
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')


class CopyToDefaultLanguage(migrations.RunPython):
    """Fill each translated field's English column (`<field>_en`, django-modeltranslation) from
    the original column, which held the English until then."""

    def __init__(self, app_label, model_name, fields):
        self.model_label, self.fields = (app_label, model_name), fields
        super().__init__(self.copy, migrations.RunPython.noop, elidable=False)

    def copy(self, apps, schema_editor):
        from django.db.models import F

        model = apps.get_model(*self.model_label)
        model._base_manager.using(schema_editor.connection.alias).update(
            **{f"{field}_en": F(field) for field in self.fields}
        )


class ReplaceStoredSearchDocument(migrations.RunPython):
    """On PostgreSQL, rebuild the stored `search_document` column (AddStoredSearchDocument) over
    other fields, with its GIN index; other vendors skip it."""

    def __init__(self, app_label, model_name, fields, previous_fields):
        self.model_label, self.fields, self.previous_fields = (app_label, model_name), fields, previous_fields
        super().__init__(self.add, self.remove, elidable=False)

    def rebuild(self, apps, schema_editor, fields):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(*self.model_label)._meta.db_table
        name = self.model_label[1]
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN search_document')  # and its index
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN search_document tsvector '
            f"GENERATED ALWAYS AS ({search_document_sql(fields)}) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{name}_search_document" ON "{table}" USING gin (search_document)')

    def add(self, apps, schema_editor):
        self.rebuild(apps, schema_editor, self.fields)

    def remove(self, apps, schema_editor):
        self.rebuild(apps, schema_editor, self.previous_fields)
