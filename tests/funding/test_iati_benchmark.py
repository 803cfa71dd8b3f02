"""The IATI import's benchmark (manage.py benchmark_iati_import): it generates an invented file,
imports it three times, reports, and leaves nothing of it behind."""

from io import StringIO

import pytest
from django.core.management import call_command

from dialogues.models import Organisation
from funding.models import IatiFile, Project
from tests.factories import make_country


@pytest.fixture
def countries(db):
    return {code: make_country(code) for code in ("KZ", "KG", "TJ", "TM", "UZ")}


def test_the_benchmark_imports_three_times_and_deletes_what_it_imported(countries):
    out = StringIO()
    call_command("benchmark_iati_import", activities=30, stdout=out, stderr=StringIO())
    lines = out.getvalue()
    assert "30 created" in lines and "30 unchanged" in lines and "30 updated" in lines
    assert "activities/s" in lines and "peak resident memory" in lines
    assert not Project.objects.exists() and not IatiFile.objects.exists()
    assert not Organisation.objects.exists() and not Organisation.history.exists()
    assert not Project.history.exists()
