"""Importing dialogue rounds from spreadsheets in the admin: preview, confirm, all or nothing, drafts."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogues.models import DialogueRound
from dialogues.publishing import PublicationStatus
from tests.factories import make_country, make_round, make_source, make_topic
from tests.spreadsheets import XLSX_FORMAT, admin_url, confirm, csv_file, export, import_file, preview, xlsx_file

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
    "unknown format": ({"format": "summit"}, "format", "“summit” is not a valid format: choose one of structured ("),
    "duplicate in the file": ({"held_on": "2003-06", "sequence_number": ""}, "country", "Duplicate: row 4"),
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


def test_export_then_reimport_unchanged_gives_back_the_same_rounds(editor_client, known):
    import_file(editor_client, DialogueRound, csv_file([round_row(known, n) for n in range(1, 4)]))
    before = export(editor_client, DialogueRound, "1")  # XLSX

    csv_before = export(editor_client, DialogueRound, "0").content.decode()
    assert "structured" in csv_before  # the format column (named like the export form's file format)

    # the export carries the ids: imported again unchanged, it updates nothing and adds nothing
    upload = SimpleUploadedFile("rounds.xlsx", before.content)
    response = preview(editor_client, DialogueRound, upload, XLSX_FORMAT)
    assert {row.import_type for row in response.context["result"].valid_rows()} == {"skip"}
    assert confirm(editor_client, DialogueRound, response).status_code == 302
    assert DialogueRound.objects.count() == 3
    csv_after = export(editor_client, DialogueRound, "0").content.decode()
    assert sorted(csv_after.splitlines()) == sorted(csv_before.splitlines())
    assert sorted(DialogueRound.objects.values_list("sequence_number", "held_on", "held_on_precision")) == [
        (n, datetime.date(2000 + n, 6, 1), "month") for n in range(1, 4)
    ]


def test_staff_without_permission_may_neither_import_nor_export(client, staff_without_permissions):
    client.force_login(staff_without_permissions)

    assert client.get(admin_url(DialogueRound, "import")).status_code == 403
    assert client.get(admin_url(DialogueRound, "export")).status_code == 403


def exported_rows(client):
    content = export(client, DialogueRound, "0").content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def test_an_editors_import_may_not_change_a_published_round(editor_client, known):
    """Its change would skip the review a published record's changes wait for (revisions/)."""
    record = make_round(country=known["kz"], sequence_number=1, number_basis="stated", summary="Before.")
    draft = make_round(country=known["kz"], sequence_number=2, number_basis="stated", publication_status="draft")
    rows = exported_rows(editor_client)
    for row in rows:
        row["summary"] = "After."
    response = preview(editor_client, DialogueRound, csv_file(rows))
    messages = [message for row in response.context["result"].invalid_rows for message in row.error_dict.get("id", [])]
    assert any(f"id {record.pk} is published: only a publisher changes it by import" in m for m in messages)
    assert not any(f"id {draft.pk} " in m for m in messages)  # a draft is the editor's to change
    assert "confirm_form" not in response.context
    record.refresh_from_db()
    draft.refresh_from_db()
    assert record.summary == "Before." and draft.summary != "After."


def test_an_exported_round_edited_and_imported_again_is_updated_after_a_preview_of_the_change(publisher_client, known):
    editor_client = publisher_client  # a published round: a publisher's import changes it in place
    record = make_round(country=known["kz"], sequence_number=1, number_basis="stated", summary="Before.")
    other = make_round(country=known["kz"], held_on=datetime.date(2010, 5, 1), sequence_number=2, number_basis="stated")
    rows = exported_rows(editor_client)
    assert {row["id"] for row in rows} == {str(record.pk), str(other.pk)}
    for row in rows:
        if row["id"] == str(record.pk):
            row["summary"] = "After."

    response = preview(editor_client, DialogueRound, csv_file(rows))
    assert "confirm_form" in response.context, response.context["result"].invalid_rows
    by_type = {row.import_type: row for row in response.context["result"].valid_rows()}
    assert set(by_type) == {"update", "skip"}  # the unchanged round is left alone, and says so
    page = response.content.decode()
    assert "<del" in page and "Before</del>" in page and "After</ins>" in page  # the field's change, old and new

    assert confirm(editor_client, DialogueRound, response).status_code == 302
    assert DialogueRound.objects.count() == 2
    record.refresh_from_db()
    assert record.summary == "After." and record.publication_status == "published"  # updated in place
    latest = record.history.first()
    assert latest.history_type == "~" and latest.history_change_reason.startswith("Imported from the spreadsheet")


def test_a_row_with_an_id_no_record_has_is_refused(editor_client, known):
    response = preview(editor_client, DialogueRound, csv_file([{"id": "999999", **round_row(known)}]))
    [invalid] = response.context["result"].invalid_rows
    assert "There is no dialogue round with the id 999999" in invalid.error_dict["id"][0]
    assert not DialogueRound.objects.exists()


def test_a_stored_duplicate_says_how_to_update_it_instead(editor_client, known):
    stored = make_round(country=known["kz"], held_on=datetime.date(2001, 6, 1), held_on_precision="month")
    response = preview(editor_client, DialogueRound, csv_file([round_row(known, 1, sequence_number="")]))
    [invalid] = response.context["result"].invalid_rows
    assert (
        f"already exists (id {stored.pk}): to change it, put its id in the id column"
        in invalid.error_dict["country"][0]
    )


def test_errors_are_listed_in_the_page_with_the_rows_the_spreadsheet_shows(editor_client, known):
    rows = [round_row(known, n) for n in range(1, 4)]
    rows[1] = round_row(known, 2, format="weird")  # the file's third line: the spreadsheet's row 3

    page = preview(editor_client, DialogueRound, csv_file(rows)).content.decode()
    listing = page[page.index('class="import-row-errors"') :]
    assert "<dt>Row 3</dt>" in listing
    assert "“weird” is not a valid format: choose one of structured" in listing
    assert "subcommittee" in listing and "ad_hoc" in listing


def test_a_date_excel_typed_as_a_date_is_taken_as_a_day_and_the_preview_says_so(editor_client, known):
    row = round_row(known, held_on=datetime.datetime(2009, 10, 14), sequence_number=1)

    response = preview(editor_client, DialogueRound, xlsx_file([row]), XLSX_FORMAT)
    assert "confirm_form" in response.context
    page = response.content.decode()
    assert "Row 2, held_on: taken as the day 2009-10-14" in page
    assert "type the cell as text (2009-10, or 2009)" in page
    text_row = round_row(known, held_on="2009-10", sequence_number=1)
    assert (
        "taken as the day"
        not in preview(editor_client, DialogueRound, xlsx_file([text_row]), XLSX_FORMAT).content.decode()
    )


def test_a_column_named_twice_is_refused_before_any_row_is_read(editor_client, known):
    row = round_row(known)
    header = ",".join([*row, "Summary"])
    line = ",".join([*(f'"{value}"' for value in row.values()), '"a second summary"'])
    upload = SimpleUploadedFile("rounds.csv", f"{header}\n{line}\n".encode(), content_type="text/csv")

    response = preview(editor_client, DialogueRound, upload)

    assert "confirm_form" not in response.context
    assert "appears more than once" in " ".join(response.context["form"].errors["import_file"])
    assert DialogueRound.objects.count() == 0


def test_an_xlsx_that_would_unpack_past_the_limit_is_refused_unread(editor_client, known, settings):
    settings.IMPORT_MAX_INFLATED_SIZE = 2_000  # any real workbook unpacks past two kilobytes

    response = preview(editor_client, DialogueRound, xlsx_file([round_row(known)]), XLSX_FORMAT)

    assert "confirm_form" not in response.context
    assert "Unpacked, the file would be" in " ".join(response.context["form"].errors["import_file"])
