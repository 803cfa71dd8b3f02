"""Load the real records of fixtures/: the five source documents, then the public record around
them (fixtures/record/, dialogues_portal/real_record.py). Every record cites its sources. Idempotent."""

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

REAL_DATA_FIXTURES = ["dialogues.json", "seminars.json", "funding.json"]  # in dependency order


class Command(BaseCommand):
    help = "Load the portal's real data from fixtures/ (safe to run again: records are updated in place)."

    def handle(self, *args, **options):
        from dialogues.models import Country

        # The source documents' records, once: the public record completes some of them (a round's
        # day, a seminar's title), and loading the documents again would undo that until the record
        # is loaded again, writing history for nothing.
        if not Country.objects.exists():
            paths = [str(settings.BASE_DIR / "fixtures" / name) for name in REAL_DATA_FIXTURES]
            call_command("loaddata", *paths, verbosity=0)
        from dialogues_portal.real_record import RecordError, load_record

        try:
            load_record(settings.BASE_DIR / "fixtures" / "record")
        except RecordError as error:
            raise CommandError(str(error)) from None
        from dialogues.models import DialogueRound
        from funding.models import Project
        from seminars.models import Seminar

        self.stdout.write(
            f"Real data loaded: {Country.objects.count()} countries, {DialogueRound.objects.count()} dialogue rounds, "
            f"{Seminar.objects.count()} seminars, {Project.objects.count()} projects."
        )
