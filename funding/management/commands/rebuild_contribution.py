"""Compute the known EU contribution's cells whole (funding/contribution_cells.py), after a write
made by hand in SQL, or to check them: says whether the stored cells were right."""

from django.core.management.base import BaseCommand

from dialogues.cache import bump

from ... import aggregates
from ...contribution_cells import rebuild, stored_cells


class Command(BaseCommand):
    help = "Compute the known EU contribution's cells from every record and store them."

    def handle(self, *args, **options):
        before = stored_cells()
        rebuild(force=True)
        bump("funding")  # the figures computed from the cells before go too
        if before == aggregates.rule_cells():
            self.stdout.write(f"The {len(before):,} stored cells were right; computed again.")
        else:
            self.stdout.write(self.style.WARNING("The stored cells differed from the records' figures; now rebuilt."))
