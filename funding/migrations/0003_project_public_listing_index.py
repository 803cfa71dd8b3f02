"""An index in exactly the project listing's order (Meta.ordering: start date DESC NULLS LAST, id DESC)
over the public rows, on PostgreSQL: the first page, and any deep page by keyset cursor
(dialogues/listing.py), read a page's worth of index entries instead of sorting the table.
SQLite cannot index NULLS LAST and skips it (its tables stay small)."""

from django.db import migrations, models
from django.db.models import F, Q

from dialogues.migrations_support import AddIndexOnPostgreSQL

PUBLIC_LISTING = models.Index(
    F("starts_on").desc(nulls_last=True),
    F("id").desc(),
    name="project_public_listing",
    condition=Q(publication_status="published"),
)


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_fulltext_index")]

    operations = [AddIndexOnPostgreSQL("funding", "project", PUBLIC_LISTING)]
