"""Generate synthetic records at any size, reproducibly, marked so they never pass for real ones."""

import contextlib
import time

from django.core.management import BaseCommand, CommandError, call_command
from tqdm import tqdm

from dialogues.cache import bump_generation
from dialogues.import_bulk import written_in_bulk
from dialogues.models import Country
from dialogues_portal.synthetic import Generator, Plan, delete_synthetic
from funding.models import Project


class Command(BaseCommand):
    help = (
        "Generate synthetic projects (with calls, programmes, organisations, rounds and seminars in proportion) "
        "for demonstrations and benchmarks. Every record is flagged is_synthetic and cites the synthetic source."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=1000, help="How many projects (default 1000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument(
            "--keep", action="store_true", help="Add to existing synthetic data instead of replacing it."
        )
        parser.add_argument("--delete", action="store_true", help="Only delete every synthetic record.")

    def handle(self, *args, projects, seed, keep, delete, **options):
        if projects < 1 or projects > 20_000_000:
            raise CommandError("--projects must be between 1 and 20,000,000.")
        started = time.monotonic()
        if delete or not keep:
            delete_synthetic()
        if delete:
            written_in_bulk.send(sender=Project)
            bump_generation()
            self.stdout.write("Deleted every synthetic record.")
            return
        if not Country.objects.exists():
            call_command("load_real_data", verbosity=0)
        show = options["verbosity"] >= 1

        @contextlib.contextmanager
        def progress(description, total):
            with tqdm(
                total=total, desc=description, unit=" rows", disable=not show, mininterval=1, file=self.stderr._out
            ) as bar:
                yield bar.update

        plan = Plan(projects)
        Generator(plan, seed=seed, progress_factory=progress).run()
        written_in_bulk.send(sender=Project)
        bump_generation()  # bulk writes send no signals: drop the cached figures explicitly
        self.stdout.write(
            f"Generated {plan.projects:,} synthetic projects, {plan.calls:,} calls, {plan.programmes} programmes, "
            f"{plan.organisations:,} organisations, {plan.rounds:,} rounds and {plan.seminars:,} seminars "
            f"(seed {seed}) in {time.monotonic() - started:.1f} s."
        )
