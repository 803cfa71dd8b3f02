"""Time the IATI import (funding/iati/) of a generated file of 100,000 activities, three times over.

The file is invented (identifiers XX-BENCH-..., titles "Benchmark activity N", implementers
"Benchmark implementer N", made-up amounts and dates), written to a temporary directory that is
removed afterwards, never to fixtures/. It is imported as `manage.py import_iati` imports it
(iati_files_import, one transaction), in this process: new (every activity created), the same
file again (every activity unchanged), then a revised file (every activity updated). Each run
prints activities per second, its queries, and the peak resident memory of the process so far
(ru_maxrss; `--tracemalloc` adds the run's peak of Python allocations, at a cost in speed). What
the runs imported is deleted afterwards. scripts/benchmark_iati_import.sh runs it on a throwaway
PostgreSQL or SQLite database; docs/benchmarks.md keeps the figures.
"""

import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection, transaction
from simple_history.models import HistoricalRecords
from tqdm import tqdm

from dialogues.import_bulk import written_in_bulk
from dialogues.models import Country, Organisation, Source
from funding.iati.importer import iati_files_import
from funding.models import IatiBudget, IatiFile, IatiTransaction, Project, ProjectCountryShare, ProjectSector

PREFIX = "XX-BENCH-"  # never a real identifier: what carries it is deleted afterwards
REPORTER = "Benchmark reporting organisation"
IMPLEMENTER = "Benchmark implementer"
IMPLEMENTERS = 200  # distinct implementers, each a new organisation at the first import
COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ")
SECTORS = ("15160", "15150", "15153", "15130")
FAMILY = 10  # every tenth activity is a parent of the next two


def write_activities(path, count, *, revision=0, implementers=IMPLEMENTERS):
    """Writes an IATI 2.03 file of `count` invented activities to `path`, one at a time. A higher
    `revision` changes every activity's title, date of update and commitment (an update of all).

    The activities vary as real ones do: one or two of the five countries with their shares (the
    region 619 alone for one in fifty), two sectors, a commitment, a disbursement and an
    expenditure, two budgets, one of `implementers` implementers, parents and children; one in
    twenty is in USD and one in a thousand lies outside Central Asia (skipped)."""
    revised = f", revision {revision}" if revision else ""
    with Path(path).open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<!-- Invented for the IATI import benchmark: no real activity, organisation, amount or date. -->\n"
            f'<iati-activities version="2.03" generated-datetime="2026-0{1 + revision % 9}-15T10:00:00Z">\n'
        )
        for number in range(1, count + 1):
            out.write(_activity(number, count, revision, revised, implementers))
        out.write("</iati-activities>\n")


def _activity(number, count, revision, revised, implementers):
    identifier = f"{PREFIX}{number:06d}"
    year = 2015 + number % 10
    currency = "USD" if number % 20 == 0 else "EUR"
    if number % 1000 == 0:
        recipients = '<recipient-country code="FR"/>'
    elif number % 50 == 0:
        recipients = '<recipient-region vocabulary="1" code="619" percentage="100"/>'
    elif number % 3 == 0:
        first, second = COUNTRIES[number % 5], COUNTRIES[(number + 1) % 5]
        recipients = (
            f'<recipient-country code="{first}" percentage="60"/><recipient-country code="{second}" percentage="40"/>'
        )
    else:
        recipients = f'<recipient-country code="{COUNTRIES[number % 5]}" percentage="100"/>'
    related = ""
    if number % FAMILY == 0:
        related = "".join(
            f'<related-activity type="2" ref="{PREFIX}{child:06d}"/>'
            for child in (number + 1, number + 2)
            if child <= count
        )
    elif number % FAMILY in (1, 2) and number > FAMILY:
        related = f'<related-activity type="1" ref="{PREFIX}{number - number % FAMILY:06d}"/>'
    commitment = 100_000 + number % 900_000 + revision * 1000
    implementer = number % implementers
    return f"""  <iati-activity last-updated-datetime="2026-0{1 + revision % 9}-10T09:00:00Z" xml:lang="en" \
default-currency="{currency}" hierarchy="{2 if number % FAMILY in (1, 2) else 1}">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="XX-BENCH-REPORTER" type="10"><narrative>{REPORTER}</narrative></reporting-org>
    <title><narrative>Benchmark activity {number}{revised}</narrative><narrative xml:lang="ru">Тестовая \
деятельность {number}</narrative></title>
    <description type="1"><narrative>A made-up activity of the IATI import benchmark, about as long as a real \
description: legal aid, monitoring of places of detention and training of lawyers.</narrative></description>
    <participating-org role="1" type="10"><narrative>Benchmark funding organisation</narrative></participating-org>
    <participating-org role="4" ref="XX-BENCH-IMPL-{implementer}" type="22"><narrative>{IMPLEMENTER} \
{implementer}</narrative></participating-org>
    <activity-status code="{1 + number % 4}"/>
    <activity-date type="1" iso-date="{year}-01-01"/>
    <activity-date type="2" iso-date="{year}-02-{1 + number % 28:02d}"/>
    <activity-date type="3" iso-date="{year + 2}-12-31"/>
    {recipients}
    <sector vocabulary="1" code="{SECTORS[number % 4]}" percentage="70"/><sector vocabulary="1" \
code="{SECTORS[(number + 1) % 4]}" percentage="30"/>
    <policy-marker vocabulary="1" code="1" significance="{number % 3}"/>
    <budget type="1" status="2"><period-start iso-date="{year}-01-01"/><period-end iso-date="{year}-12-31"/><value \
value-date="{year}-01-01">{commitment // 2}</value></budget>
    <budget type="2" status="2"><period-start iso-date="{year}-01-01"/><period-end iso-date="{year}-12-31"/><value \
value-date="{year}-06-01">{commitment // 2 + 500}.50</value></budget>
    <transaction><transaction-type code="2"/><transaction-date iso-date="{year}-02-01"/><value \
value-date="{year}-02-01">{commitment}</value></transaction>
    <transaction><transaction-type code="3"/><transaction-date iso-date="{year}-03-01"/><value \
value-date="{year}-03-01">{commitment // 3}</value></transaction>
    <transaction><transaction-type code="4"/><transaction-date iso-date="{year}-04-01"/><value \
value-date="{year}-04-01">{commitment // 10}.25</value></transaction>
    {related}
  </iati-activity>
"""


class Command(BaseCommand):
    help = (
        "Time the IATI import of a generated file of invented activities: created, unchanged, updated. "
        "Deletes what it imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, default=100_000, help="Activities in the file (100,000).")
        parser.add_argument(
            "--tracemalloc", action="store_true", help="Also the peak of Python allocations per run (slower)."
        )

    def handle(self, *args, activities, tracemalloc, **options):
        if activities < 1:
            raise CommandError("--activities takes a positive number.")
        if Project.objects.filter(iati_identifier__startswith=PREFIX).exists():
            raise CommandError(f"Projects {PREFIX}... are stored already: an earlier run was cut short. Delete them.")
        if not Country.objects.filter(iso_code__in=COUNTRIES).exists():
            call_command("load_real_data", verbosity=0)
        self.stdout.write(
            f"{connection.vendor}, {activities:,} activities, resident memory at the start {_rss_mb():.0f} MB."
        )
        try:
            with tempfile.TemporaryDirectory(prefix="iati-benchmark-") as folder:
                for label, revision in (("new (created)", 0), ("again (unchanged)", 0), ("revised (updated)", 1)):
                    path = Path(folder) / f"benchmark-{activities}-r{revision}.xml"
                    if not path.exists():
                        started = time.perf_counter()
                        write_activities(path, activities, revision=revision)
                        self.stdout.write(
                            f"Generated {path.name}: {path.stat().st_size / 2**20:,.0f} MB "
                            f"in {time.perf_counter() - started:.1f} s."
                        )
                    self._run(label, path, activities, trace=tracemalloc, show=options["verbosity"] >= 1)
        finally:
            _clean_up()

    def _run(self, label, path, activities, *, trace, show):
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(None)  # counted, not kept: a debug cursor would slow the run down
            return execute(sql, params, many, context)

        if trace:
            tracemalloc.start()
        with (
            tqdm(desc=label, total=activities, unit=" activities", disable=not show, file=self.stderr._out) as bar,
            connection.execute_wrapper(count),
        ):
            started = time.perf_counter()
            summary = iati_files_import(paths=[path], progress=lambda: bar.update(1))
            seconds = time.perf_counter() - started
        traced = ""
        if trace:
            traced = f", Python allocations at most {tracemalloc.get_traced_memory()[1] / 2**20:,.0f} MB"
            tracemalloc.stop()
        self.stdout.write(
            f"{label}: {summary.line()} in {seconds:,.1f} s: {activities / seconds:,.0f} activities/s, "
            f"{len(queries):,} queries, peak resident memory so far {_peak_rss_mb():,.0f} MB{traced}."
        )


def _rss_mb():
    """The resident memory of this process now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _clean_up():
    """Delete what the runs imported, in a few statements a few thousand rows at a time (a delete()
    per record would write each one's deletion into the history, which takes longer than the import)."""
    with transaction.atomic():
        ids = list(Project.objects.filter(iati_identifier__startswith=PREFIX).values_list("pk", flat=True))
        files = list(
            IatiFile.objects.filter(name__startswith="benchmark-", source__publisher=REPORTER).values_list(
                "pk", "source_id"
            )
        )
        organisations = list(Organisation.objects.filter(name_en__startswith=IMPLEMENTER).values_list("pk", flat=True))
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for model in (ProjectCountryShare, ProjectSector, IatiTransaction, IatiBudget):
                _raw_delete(model.objects.filter(project_id__in=chunk))
            _delete_with_history(Project, chunk)
        _raw_delete(IatiFile.objects.filter(pk__in=[pk for pk, _source in files]))
        _delete_with_history(Source, sorted({source for _pk, source in files}))
        _delete_with_history(Organisation, organisations)
        written_in_bulk.send(sender=Project)  # the summary tables follow (funding/summaries.py)


def _delete_with_history(model, ids):
    """The records `ids`, their many-to-many rows, their history and its many-to-many rows."""
    history = model.history.filter(id__in=ids)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        _raw_delete(through.objects.filter(**{f"{field.m2m_field_name()}_id__in": ids}))
    for m2m_history in {HistoricalRecords.m2m_models[f] for f in model.history.model._history_m2m_fields}:
        _raw_delete(m2m_history.objects.filter(history__in=history))
    _raw_delete(history)
    _raw_delete(model.objects.filter(pk__in=ids))


def _raw_delete(queryset):
    queryset._raw_delete(queryset.db)  # no signals, no history: only rows this command wrote
