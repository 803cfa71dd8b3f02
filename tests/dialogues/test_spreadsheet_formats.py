"""openpyxl is loaded by the requests that read or write a spreadsheet, not by every worker at start."""

import os
import subprocess
import sys

import tablib
from tablib.formats import registry

from dialogues.spreadsheet_formats import DeferredFormat

STARTED_WORKER = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, the admin's import-export and the exports
print(sorted(name for name in ("openpyxl", "tablib.formats._xlsx") if name in sys.modules))
"""


def test_a_started_portal_has_not_imported_openpyxl():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dialogues_portal.settings"}
    result = subprocess.run([sys.executable, "-c", STARTED_WORKER], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_deferred_format_reads_and_writes_a_workbook():
    assert isinstance(registry.get_format("xlsx"), DeferredFormat) or "openpyxl" in sys.modules
    written = tablib.Dataset(["Kazakhstan (example)", 2010], headers=["country", "year"]).export("xlsx")
    assert written[:2] == b"PK"  # a zip, as every XLSX file
    read = tablib.Dataset().load(written, format="xlsx")
    assert read.headers == ["country", "year"]
    assert read[0] == ("Kazakhstan (example)", 2010)


def test_a_deferred_format_passes_on_what_the_format_has():
    deferred = DeferredFormat("tablib.formats._yaml.YAMLFormat")
    assert deferred.title == "yaml"
    assert deferred._loaded.__name__ == "YAMLFormat"
