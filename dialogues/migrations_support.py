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
