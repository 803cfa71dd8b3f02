"""Compute the summary tables whole (funding/summaries.py: the known EU contribution's cells and
the projects' counts), after a write made by hand in SQL, or to check them: says whether the
stored tables were right."""

from django.core.management.base import BaseCommand

from dialogues.cache import bump

from ... import aggregates
from ...models import Project
from ...summaries import project_counts, project_counts_of, rebuild, stored_cells


class Command(BaseCommand):
    help = "Compute the summary tables (the known EU contribution, the projects' counts) from every record."

    def handle(self, *args, **options):
        stored = stored_cells(), project_counts()
        rebuild(force=True)
        bump("funding")  # the figures computed from the tables before go too
        if stored == (aggregates.rule_cells(), project_counts_of(Project.objects.all())):
            self.stdout.write(f"The {len(stored[0]):,} cells and {len(stored[1]):,} counts stored were right.")
        else:
            self.stdout.write(self.style.WARNING("The stored tables differed from the records' figures; now rebuilt."))
