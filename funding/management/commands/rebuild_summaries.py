"""Compute the summary tables whole (funding/summaries.py: the known EU contribution's cells, their
sums by scope and year, the projects' counts), after a write made by hand in SQL, or to check
them: says whether the stored tables were right."""

from django.core.management.base import BaseCommand

from dialogues.cache import bump

from ...summaries import computed_tables, rebuild, stored_tables


class Command(BaseCommand):
    help = "Compute the summary tables (the known EU contribution, the projects' counts) from every record."

    def handle(self, *args, **options):
        stored = stored_tables()
        rebuild(force=True)
        bump("funding")  # the figures computed from the tables before go too
        if stored == computed_tables():
            cells, years, counts = (len(rows) for rows in stored)
            self.stdout.write(f"The {cells:,} cells, {years:,} sums by year and {counts:,} counts stored were right.")
        else:
            self.stdout.write(self.style.WARNING("The stored tables differed from the records' figures; now rebuilt."))
