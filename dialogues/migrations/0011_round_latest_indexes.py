"""On PostgreSQL: published rounds newest first (held_on DESC NULLS LAST, id DESC), overall and
by country, the order of the home page's latest activity and of a country's timeline, so that
they read their first rows from an index instead of sorting every round (10 ms at 5,000
synthetic rounds). SQLite cannot index NULLS LAST and skips them (its tables stay small)."""

from django.db import migrations, models
from django.db.models import F, Q

from dialogues.migrations_support import AddIndexOnPostgreSQL

PUBLISHED = Q(publication_status="published")
LATEST = models.Index(F("held_on").desc(nulls_last=True), F("id").desc(), name="round_latest", condition=PUBLISHED)
COUNTRY_LATEST = models.Index(
    F("country"), F("held_on").desc(nulls_last=True), F("id").desc(), name="round_country_latest", condition=PUBLISHED
)


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0010_organisation_iati_ref")]

    operations = [
        AddIndexOnPostgreSQL("dialogues", "dialogueround", LATEST),
        AddIndexOnPostgreSQL("dialogues", "dialogueround", COUNTRY_LATEST),
    ]
