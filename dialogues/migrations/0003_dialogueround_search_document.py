"""On PostgreSQL: the search document stored in a generated column with a GIN index, so that
ranking reads it instead of parsing each matching row again (dialogues/search.py)."""

from django.db import migrations

from dialogues.migrations_support import AddStoredSearchDocument


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0002_fulltext_index")]

    operations = [AddStoredSearchDocument("dialogues", "dialogueround", ("summary", "place"))]
