"""On PostgreSQL: published seminars newest first (held_on DESC NULLS LAST, id DESC), the order
of the home page's latest activity, read from an index instead of sorting every seminar (10 ms
at 10,000 synthetic seminars). SQLite cannot index NULLS LAST and skips it."""

from django.db import migrations, models
from django.db.models import F, Q

from dialogues.migrations_support import AddIndexOnPostgreSQL

LATEST = models.Index(
    F("held_on").desc(nulls_last=True),
    F("id").desc(),
    name="seminar_latest",
    condition=Q(publication_status="published"),
)


class Migration(migrations.Migration):
    dependencies = [("seminars", "0006_texts_in_russian"), ("dialogues", "0011_round_latest_indexes")]

    operations = [AddIndexOnPostgreSQL("seminars", "seminar", LATEST)]
