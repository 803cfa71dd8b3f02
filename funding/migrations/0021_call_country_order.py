"""On PostgreSQL: a country's published calls in the calls' order (Meta.ordering: year DESC NULLS
LAST, title, id), so that a country's page reads its latest 30 from the index instead of sorting
them all (4,000 a country, 7 ms, at a million synthetic projects). SQLite cannot index NULLS
LAST and skips it (its tables stay small)."""

from django.db import migrations, models
from django.db.models import F, Q

from dialogues.migrations_support import AddIndexOnPostgreSQL

COUNTRY_ORDER = models.Index(
    F("country"),
    F("year").desc(nulls_last=True),
    F("title"),
    F("id"),
    name="call_country_order",
    condition=Q(publication_status="published"),
)


class Migration(migrations.Migration):
    dependencies = [("funding", "0020_summary_tables")]

    operations = [AddIndexOnPostgreSQL("funding", "call", COUNTRY_ORDER)]
