"""On PostgreSQL: the known contribution's index (migration 0007) holds only the projects counted
once (`duplicate_of` blank, funding/aggregates.py counted_once()), so that the figure stays one pass
over the index; the anti-join on IATI children reads the index of `iati_parent`."""

from django.db import migrations

from dialogues.migrations_support import RunSQLOnPostgreSQL

CREATE = (
    'CREATE INDEX "project_contribution" ON "funding_project" ("programme_id")'
    ' INCLUDE ("id", "call_id", "starts_on", "eu_contribution_eur", "country_ids")'
)
COUNTED_BEFORE = "WHERE \"publication_status\" = 'published'"
COUNTED_ONCE = COUNTED_BEFORE + ' AND "duplicate_of_id" IS NULL'


class Migration(migrations.Migration):
    dependencies = [("funding", "0013_sector_topics_seed")]

    operations = [
        RunSQLOnPostgreSQL('DROP INDEX IF EXISTS "project_contribution"', f"{CREATE} {COUNTED_BEFORE}"),
        RunSQLOnPostgreSQL(f"{CREATE} {COUNTED_ONCE}", 'DROP INDEX IF EXISTS "project_contribution"'),
    ]
