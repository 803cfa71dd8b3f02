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
