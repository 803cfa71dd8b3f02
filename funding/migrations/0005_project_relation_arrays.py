"""On PostgreSQL: each project's country and topic ids in arrays kept by triggers, included in the
listing's index (project_public_listing), so a listing filtered by country, topic and years walks
that index alone (dialogues/migrations_support.py, AddRelationArrays; dialogues/filtersets.py)."""

from django.db import migrations

from dialogues.migrations_support import AddRelationArrays


class Migration(migrations.Migration):
    dependencies = [("funding", "0004_project_search_document")]

    operations = [
        AddRelationArrays(
            "funding",
            "project",
            {"countries": "country_ids", "topics": "topic_ids"},
            index_name="project_public_listing",
            index_columns='"starts_on" DESC NULLS LAST, "id" DESC',
            index_condition="\"publication_status\" = 'published'",
        )
    ]
