"""Imports IATI activity files (issue 17): drafts for a Publisher to review, or published with --publish."""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from funding.iati.importer import iati_files, iati_files_import
from funding.iati.parse import IatiFileError
from funding.sector_codes import NotSectorCodes, sector_codes


def _country_codes(text):
    codes = {code.strip().upper() for code in text.split(",") if code.strip()}
    if wrong := sorted(code for code in codes if len(code) != 2 or not code.isalpha()):
        raise CommandError(f"Not a two-letter ISO country code: {', '.join(wrong)}")
    return codes


def _sector_codes(text):
    try:
        return set(sector_codes(text))
    except NotSectorCodes as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = "Import IATI 2.01-2.03 activity files (a file, or every .xml file of a directory) into projects."

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE_OR_DIRECTORY")
        parser.add_argument("--dry-run", action="store_true", help="Read and check everything, write nothing.")
        parser.add_argument("--publish", action="store_true", help="Publish the projects (default: drafts).")
        parser.add_argument(
            "--countries", default="", help="ISO codes, e.g. KZ,KG,TJ,TM,UZ (default: the portal's countries)."
        )
        parser.add_argument("--sectors", default="", help="DAC 5-digit codes, e.g. 15160,15150 (default: any).")
        parser.add_argument("--user", help="The username the import and the projects' history name.")

    def handle(self, *args, path, dry_run, publish, countries, sectors, user, **options):
        countries, sectors = _country_codes(countries), _sector_codes(sectors)
        if user is not None:
            try:
                user = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {user!r}.") from error
        if any(not code.isdigit() for code in sectors):
            raise CommandError("--sectors takes DAC 5-digit codes.")
        show = options["verbosity"] >= 1
        try:
            files = iati_files(path)
            with tqdm(desc="IATI activities", unit=" activities", disable=not show, file=self.stderr._out) as bar:
                summary = iati_files_import(
                    paths=files,
                    user=user,
                    publish=publish,
                    countries=countries or None,
                    sectors=sectors,
                    dry_run=dry_run,
                    progress=lambda: bar.update(1),
                )
        except IatiFileError as error:
            raise CommandError(f"Refused, nothing imported: {error}") from error
        for identifier, reason in summary.skipped:
            self.stdout.write(f"skipped {identifier}: {reason}")
        for warning in summary.warnings:
            self.stdout.write(f"warning {warning}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{summary.line()}.")
