"""A GIN index (on the fields of the model's SEARCH_FIELDS) for full-text search on PostgreSQL (English and Russian); other databases skip it."""

from django.db import migrations

from dialogues.migrations_support import AddIndexOnPostgreSQL
from dialogues.search import search_index


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [AddIndexOnPostgreSQL("funding", "project", search_index("project", ("title", "summary")))]
