"""Restore a backup made by `manage.py backup` into an empty database.

    manage.py restore backups/portal-2026-01-31.json.gz

Migrates first (an empty database gets its tables), then loads every row in one transaction:
either the whole backup is restored or nothing is. A database that already holds records is
refused: a restore never mixes two states of the portal. On PostgreSQL the id sequences are
reset afterwards, so new records continue after the restored ones.
"""

import os

from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test.utils import override_settings

from .backup import backed_up_models


def stored_records(database):
    """Labels of the backed-up models that hold rows (the groups migrate creates do not count)."""
    return [
        model._meta.label
        for model in backed_up_models()
        if model is not Group and model._meta.auto_created is not Group and model._base_manager.using(database).exists()
    ]


class Command(BaseCommand):
    help = "Restore a backup (.json.gz from manage.py backup) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup file, e.g. backup-20260131T020000Z.json.gz.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, backup, database, verbosity, **options):
        if not os.path.isfile(backup):
            raise CommandError(f"No backup file at {backup}.")
        if not backup.endswith(".json.gz"):
            raise CommandError("A backup file's name ends in .json.gz; this does not look like one.")
        call_command("migrate", database=database, interactive=False, verbosity=0)
        occupied = stored_records(database)
        if occupied:
            raise CommandError(
                "Refusing to restore: the database already holds records "
                f"({', '.join(occupied[:5])}{', ...' if len(occupied) > 5 else ''}). "
                "Restore into a new, empty database."
            )
        # The history comes from the backup: recording the restore itself would add a version of
        # every record with many-to-many links (loaddata sets them after saving the record).
        with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic(using=database):
            Group.objects.using(database).all().delete()  # the roles migrate just created; the backup has them
            call_command("loaddata", os.path.abspath(backup), database=database, verbosity=verbosity)
        history = sum(
            model._base_manager.using(database).count()
            for model in backed_up_models()
            if model._meta.model_name.startswith("historical")
        )
        total = sum(model._base_manager.using(database).count() for model in backed_up_models())
        self.stdout.write(f"Restored {total} rows ({history} of them history) from {backup}.")
