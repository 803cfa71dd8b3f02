"""Time the admin's spreadsheet import of a full-size file of projects, request by request.

The file is as large as an editor may upload (IMPORT_MAX_FILE_SIZE, 5 MB): valid new project rows
that refer to the records already stored (countries, topics, programmes, organisations, sources),
posted to the admin as an editor does, through django.test.Client, in this process. Such a file
goes to the task worker (dialogues/import_background.py): the upload, the state page and the
confirmation are timed as requests, the worker's check and import apart (run here as
`manage.py db_worker --batch` runs them). `--in-request` times the check and import inside the
requests instead, as for a file of at most IMPORT_BACKGROUND_ROWS rows. The imported projects and
their history are deleted afterwards. scripts/benchmark_import.sh runs it on a throwaway
PostgreSQL; docs/benchmarks.md keeps the figures.
"""

import csv
import io
import itertools
import re
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from simple_history.models import HistoricalRecords

from dialogues.import_bulk import written_in_bulk
from dialogues.models import Country, Organisation, Source, Topic
from dialogues_portal.models import PendingImport
from dialogues_portal.roles import EDITORS, sync_roles
from funding.models import Programme, Project

USERNAME = "import-benchmark"
TITLE_PREFIX = "Import benchmark project"  # never a real title: the rows are deleted afterwards
SUMMARY = (
    "A made-up row of the import benchmark, about as long as a real summary: legal aid, monitoring "
    "of places of detention and training of lawyers in the regions, with a network of partners."
)
COLUMNS = [
    "id",
    "title",
    "programme",
    "call",
    "countries",
    "implementing_organisation",
    "topics",
    "eu_contribution_eur",
    "starts_on",
    "ends_on",
    "duration_months",
    "status",
    "summary",
    "sources",
]


def project_rows_csv(size, *, countries, topics, programmes, organisations, sources, prefix=TITLE_PREFIX):
    """A CSV of valid new project rows (bytes, UTF-8) of at most `size` bytes, and its row count.

    Every row refers to the given public identifiers in turn; titles are numbered, so no two rows
    are duplicates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    length, count = len(out.getvalue().encode()), 0
    cycles = [itertools.cycle(values) for values in (countries, topics, programmes, organisations, sources)]
    for number in itertools.count(1):
        country, topic, programme, organisation, source = (next(cycle) for cycle in cycles)
        year = 1995 + number % 30
        line = io.StringIO()
        csv.writer(line, lineterminator="\r\n").writerow(
            [
                "",
                f"{prefix} {number}",
                programme,
                "",
                country,
                organisation,
                topic,
                f"{100_000 + number % 900_000}.50",
                f"{year}-{1 + number % 12:02d}",
                str(year + 2),
                "24",
                "completed",
                SUMMARY,
                source,
            ]
        )
        encoded = line.getvalue().encode()
        if length + len(encoded) > size:
            break
        out.write(line.getvalue())
        length += len(encoded)
        count += 1
    return out.getvalue().encode(), count


def confirm_fields(page):
    """The hidden fields of the preview's confirm form, as the editor's browser sends them."""
    form = page[page.find('action="' + reverse("admin:funding_project_process_import")) :]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[: form.find("</form>")]))


class Command(BaseCommand):
    help = "Time the admin import (preview and confirm) of a full-size CSV of projects. Deletes what it imported."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", type=int, default=None, help="File size in bytes (default: IMPORT_MAX_FILE_SIZE, 5 MB)."
        )
        parser.add_argument(
            "--in-request",
            action="store_true",
            help="Check and import in the requests, as a file of at most IMPORT_BACKGROUND_ROWS rows is.",
        )

    def handle(self, *args, size, in_request, **options):
        size = size or settings.IMPORT_MAX_FILE_SIZE
        if not Country.objects.exists():
            call_command("load_real_data", verbosity=0)
        identifiers = {
            "countries": list(Country.objects.values_list("iso_code", flat=True)),
            "topics": list(Topic.objects.values_list("slug", flat=True)),
            "programmes": list(Programme.objects.values_list("slug", flat=True)),
            "organisations": list(Organisation.objects.values_list("slug", flat=True)),
            "sources": [str(pk) for pk in Source.objects.values_list("pk", flat=True)],
        }
        if not all(identifiers.values()):
            raise CommandError("Load the real data first (manage.py load_real_data): rows refer to its records.")
        data, rows = project_rows_csv(size, **identifiers)
        self.stdout.write(f"File: {len(data):,} bytes, {rows:,} project rows ({connection.vendor}).")
        client = Client()
        client.force_login(self._editor())
        url = reverse("admin:funding_project_import")
        threshold = rows if in_request else min(settings.IMPORT_BACKGROUND_ROWS, rows - 1)
        try:
            with override_settings(
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], IMPORT_BACKGROUND_ROWS=threshold
            ):
                upload = SimpleUploadedFile("benchmark.csv", data, content_type="text/csv")
                if in_request:
                    self._in_request(client, url, upload)
                else:
                    self._in_background(client, url, upload)
            imported = Project.objects.filter(title__startswith=TITLE_PREFIX).count()
            self.stdout.write(f"{imported:,} projects imported.")
        finally:
            self._clean_up()

    def _in_request(self, client, url, upload):
        preview, preview_seconds, preview_queries = self._timed(
            client.post, url, {"import_file": upload, "format": "0", "resource": "0"}
        )
        fields = confirm_fields(preview.content.decode())
        if preview.status_code != 200 or "import_file_name" not in fields:
            raise CommandError(f"The preview did not offer to confirm (HTTP {preview.status_code}).")
        done, confirm_seconds, confirm_queries = self._timed(
            client.post, reverse("admin:funding_project_process_import"), fields
        )
        if done.status_code != 302:
            raise CommandError(f"The confirm failed (HTTP {done.status_code}).")
        self.stdout.write(
            f"In the requests. Preview: {preview_seconds:.1f} s, {preview_queries} queries. "
            f"Confirm: {confirm_seconds:.1f} s, {confirm_queries} queries."
        )

    def _in_background(self, client, url, upload):
        """The editor's requests, and the worker's two stages between them, each timed apart."""
        uploaded, upload_seconds, upload_queries = self._timed(
            client.post, url, {"import_file": upload, "format": "0", "resource": "0"}
        )
        if uploaded.status_code != 302:
            raise CommandError(f"The upload was not queued (HTTP {uploaded.status_code}).")
        state_url = uploaded["Location"]
        pending = PendingImport.objects.get(pk=state_url.rstrip("/").rsplit("/", 1)[-1])
        _, check_seconds, check_queries = self._timed(self._worker)
        page, page_seconds, _ = self._timed(client.get, state_url)
        if "Confirm import" not in page.content.decode():
            raise CommandError(f"The check did not offer to confirm: {PendingImport.objects.get(pk=pending.pk).stage}.")
        start = reverse("admin:funding_project_import_start", args=[pending.pk])
        _, confirm_seconds, confirm_queries = self._timed(client.post, start)
        _, import_seconds, import_queries = self._timed(self._worker)
        done = client.get(state_url)
        if done.status_code != 302:
            raise CommandError(f"The import did not finish: {PendingImport.objects.get(pk=pending.pk).stage}.")
        self.stdout.write(
            f"Requests: upload {upload_seconds:.1f} s ({upload_queries} queries), state page with the preview "
            f"{page_seconds:.2f} s, confirm {confirm_seconds:.2f} s ({confirm_queries} queries). "
            f"Worker: check {check_seconds:.1f} s ({check_queries} queries), "
            f"import {import_seconds:.1f} s ({import_queries} queries)."
        )

    def _worker(self):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    def _timed(self, function, *args):
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(None)  # counted, not kept: a debug cursor would slow the run down
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = function(*args)
            seconds = time.perf_counter() - started
        return response, seconds, len(queries)

    def _editor(self):
        sync_roles()
        user, _created = get_user_model().objects.get_or_create(username=USERNAME, defaults={"is_staff": True})
        user.groups.set(Group.objects.filter(name=EDITORS))
        return user

    def _clean_up(self):
        """Delete what the run imported, in a few statements (a delete() per record would write
        each one's deletion into the history, which takes longer than the import)."""
        with transaction.atomic():
            ids = list(Project.objects.filter(title__startswith=TITLE_PREFIX).values_list("pk", flat=True))
            history = Project.history.filter(id__in=ids)
            for field in Project._meta.many_to_many:
                through = field.remote_field.through
                _raw_delete(through.objects.filter(**{f"{field.m2m_field_name()}_id__in": ids}))
            for m2m_history in {HistoricalRecords.m2m_models[f] for f in Project.history.model._history_m2m_fields}:
                _raw_delete(m2m_history.objects.filter(history__in=history))
            _raw_delete(history)
            _raw_delete(Project.objects.filter(pk__in=ids))
            written_in_bulk.send(sender=Project)  # the summary tables follow (funding/summaries.py)
            get_user_model().objects.filter(username=USERNAME).delete()  # and its pending imports


def _raw_delete(queryset):
    queryset._raw_delete(queryset.db)  # no signals, no history: only rows this command wrote
