"""Importing dialogue rounds from spreadsheets in the admin: preview, confirm, all or nothing, drafts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogues.models import DialogueRound
from dialogues.publishing import PublicationStatus
from tests.factories import make_country, make_round, make_source, make_topic
from tests.spreadsheets import XLSX_FORMAT, admin_url, csv_file, export, import_file, preview, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(db):
    return {
        "kz": make_country("KZ", slug="kazakhstan"),
        "topic": make_topic(slug="rights-of-women"),
        "source": make_source(title="Press release"),
    }


def round_row(known, n=1, **changes):
    row = {
        "country": "kz",
        "held_on": f"{2000 + n}-06",
        "place": "Astana",
        "format": "structured",
        "sequence_number": str(n),
        "topics": "rights-of-women",
        "summary": "The EU raised the rights of women.",
        "sources": str(known["source"].pk),
    }
    row.update(changes)
    return row


def test_a_valid_csv_creates_draft_rounds_with_partial_dates_and_history(editor_client, editor, known):
    response = import_file(editor_client, DialogueRound, csv_file([round_row(known, 1), round_row(known, 2)]))

    assert response.status_code == 302
    imported = DialogueRound.objects.get(sequence_number=1)
    assert imported.country == known["kz"]
    assert (imported.held_on, imported.held_on_precision) == (datetime.date(2001, 6, 1), "month")
    assert imported.publication_status == PublicationStatus.DRAFT
    assert list(imported.topics.all()) == [known["topic"]]
    assert list(imported.sources.all()) == [known["source"]]
    assert imported.history.earliest().history_user == editor


def test_a_valid_xlsx_imports(editor_client, known):
    row = round_row(known, held_on=datetime.datetime(2009, 10, 14), sequence_number=1)

    assert import_file(editor_client, DialogueRound, xlsx_file([row]), XLSX_FORMAT).status_code == 302
    imported = DialogueRound.objects.get()
    assert (imported.held_on, imported.held_on_precision) == (datetime.date(2009, 10, 14), "day")


BAD_ROWS = {
    "unknown country": ({"country": "FR"}, "country", "Unknown country: “FR”."),
    "bad date": ({"held_on": "October 2009"}, "held_on", "“October 2009” is not a date"),
    "neither date nor number": ({"held_on": "", "sequence_number": ""}, "held_on", "Give the date, or the number"),
    "unknown format": ({"format": "summit"}, "format", "Value 'summit' is not a valid choice."),
    "duplicate in the file": ({"held_on": "2003-06", "sequence_number": ""}, "country", "Duplicate: row 3"),
}


@pytest.mark.parametrize("changes, field, reason", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_in_a_hundred_writes_nothing_and_names_the_row_field_and_reason(
    editor_client, known, changes, field, reason
):
    rows = [round_row(known, n) for n in range(1, 101)]
    rows[56] = round_row(known, 57, **changes)

    response = preview(editor_client, DialogueRound, csv_file(rows))

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 57
    assert reason in " ".join(invalid.error_dict[field])
    assert DialogueRound.objects.count() == 0


def test_a_round_already_stored_is_a_duplicate(editor_client, known):
    make_round(country=known["kz"], held_on=datetime.date(2001, 6, 1), held_on_precision="month", format="structured")

    response = preview(editor_client, DialogueRound, csv_file([round_row(known, 1, sequence_number="")]))

    [invalid] = response.context["result"].invalid_rows
    assert "already exists" in invalid.error_dict["country"][0]


def test_export_then_reimport_gives_back_the_same_rounds(editor_client, known):
    import_file(editor_client, DialogueRound, csv_file([round_row(known, n) for n in range(1, 4)]))
    before = export(editor_client, DialogueRound, "1")  # XLSX

    csv_before = export(editor_client, DialogueRound, "0").content.decode()
    assert "structured" in csv_before  # the format column (named like the export form's file format)

    DialogueRound.objects.all().delete()
    upload = SimpleUploadedFile("rounds.xlsx", before.content)
    assert import_file(editor_client, DialogueRound, upload, XLSX_FORMAT).status_code == 302
    csv_after = export(editor_client, DialogueRound, "0").content.decode()
    assert sorted(csv_after.splitlines()) == sorted(csv_before.splitlines())
    assert sorted(DialogueRound.objects.values_list("sequence_number", "held_on", "held_on_precision")) == [
        (n, datetime.date(2000 + n, 6, 1), "month") for n in range(1, 4)
    ]


def test_staff_without_permission_may_neither_import_nor_export(client, staff_without_permissions):
    client.force_login(staff_without_permissions)

    assert client.get(admin_url(DialogueRound, "import")).status_code == 403
    assert client.get(admin_url(DialogueRound, "export")).status_code == 403
