"""A complete backup of the portal: every record, every historical version, users and groups.

    manage.py backup --output backups/portal-2026-01-31.json.gz

The file is Django's JSON fixture format, gzipped, written as it is read (dumpdata streams each
table), inside one read-only transaction so the copy is consistent. Content types and
permissions are referred to by natural keys, as migrate recreates them; sessions and the login
lock-out log are left out. `manage.py restore <file>` loads it into an empty database.
The file holds password hashes and API tokens: keep it as safe as the database.
For very large PostgreSQL deployments, pg_dump/pg_restore are the faster path.
"""

import os

from django.apps import apps
from django.core.management import BaseCommand, CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

# Rebuilt by migrate (content types, permissions) or from the records (the known contribution's
# cells, their sums by year and the projects' counts, funding/summaries.py), or not worth keeping (sessions, lock-out
# log, and what is in flight: uploads waiting for import, queued tasks, which a restore would rerun).
EXCLUDED = (
    *("contenttypes", "auth.permission", "sessions", "axes"),
    *("django_tasks_database", "dialogues_portal.pendingimport", "funding.iatiupload"),
    *("funding.contributioncell", "funding.contributionyear", "funding.projectcount", "funding.summaryledger"),
)


def backed_up_models():
    """The models a backup holds: every installed model but the EXCLUDED ones."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in EXCLUDED
        and model._meta.label_lower not in EXCLUDED
        and not (model._meta.auto_created and model._meta.auto_created._meta.label_lower in EXCLUDED)
        and model._meta.managed
        and not model._meta.proxy
    ]


class Command(BaseCommand):
    help = "Back up all data and all history (users and groups too) to a gzipped JSON file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            default=None,
            help="The file to write (ending in .json.gz); default: backup-<UTC date and time>.json.gz here.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, database, verbosity, **options):
        output = output or f"backup-{timezone.now():%Y%m%dT%H%M%SZ}.json.gz"
        if not output.endswith(".json.gz"):
            raise CommandError("The backup file's name must end in .json.gz (gzipped JSON).")
        if os.path.exists(output):
            raise CommandError(f"{output} exists already: choose another name, a backup never overwrites one.")
        partial = output.removesuffix(".json.gz") + ".partial.json.gz"  # dumpdata compresses by the suffix
        connection = connections[database]
        # Called inside a transaction already (a test), the snapshot is that transaction's.
        own_snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        try:
            # The file holds password hashes and API tokens: its owner alone may read it, whatever the
            # umask. dumpdata then writes into this file, which keeps its mode, as os.replace does.
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            os.chmod(partial, 0o600)  # a partial file left by a killed run keeps its old mode otherwise
            with transaction.atomic(using=database):
                if own_snapshot:
                    # One snapshot for every table: the backup is consistent even while editors work.
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                call_command(
                    "dumpdata",
                    *[f"--exclude={label}" for label in EXCLUDED],
                    format="backup-json",  # Django's JSON, but to the microsecond (dialogues_portal/backup_format.py)
                    natural_foreign=True,  # content types and permissions by name: migrate gives new ids
                    database=database,
                    output=partial,
                    verbosity=verbosity,
                )
                counts = {model: model._base_manager.using(database).count() for model in backed_up_models()}
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        os.replace(partial, output)  # a backup file is always whole
        history = sum(count for model, count in counts.items() if model._meta.model_name.startswith("historical"))
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows ({history} of them history) to {output} "
            f"({os.path.getsize(output) / 1024 / 1024:.1f} MB)."
        )
