"""Importing seminars from spreadsheets in the admin: preview, confirm, all or nothing, drafts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogues.publishing import PublicationStatus
from seminars.models import Seminar
from tests.factories import make_country, make_organisation, make_round, make_source, make_topic
from tests.spreadsheets import XLSX_FORMAT, admin_url, confirm, csv_file, export, import_file, preview, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(db):
    kz = make_country("KZ", slug="kazakhstan")
    return {
        "kz": kz,
        "kg": make_country("KG", slug="kyrgyzstan"),
        "topic": make_topic(slug="freedom-of-expression"),
        "organiser": make_organisation(slug="fidh"),
        "round": make_round(country=kz),
        "source": make_source(title="Seminar report"),
    }


def seminar_row(known, n=1, **changes):
    row = {
        "title": f"Civil society seminar {n}",
        "kind": "seminar",
        "countries": "KZ,kg",
        "city": "Almaty",
        "held_on": "2009",
        "date_note": "",
        "dialogue_round": str(known["round"].pk),
        "topics": "freedom-of-expression",
        "organisers": "fidh",
        "participating_organisations": "70",
        "participating_organisations_qualifier": "more_than",
        "summary": "",
        "sources": "Seminar report",
    }
    row.update(changes)
    return row


def test_a_valid_csv_creates_draft_seminars_with_relations_and_history(editor_client, editor, known):
    assert import_file(editor_client, Seminar, csv_file([seminar_row(known)])).status_code == 302

    seminar = Seminar.objects.get()
    assert seminar.publication_status == PublicationStatus.DRAFT
    assert set(seminar.countries.all()) == {known["kz"], known["kg"]}
    assert list(seminar.organisers.all()) == [known["organiser"]]
    assert list(seminar.sources.all()) == [known["source"]]
    assert seminar.dialogue_round == known["round"]
    assert (seminar.held_on, seminar.held_on_precision) == (datetime.date(2009, 1, 1), "year")
    assert (seminar.participating_organisations, seminar.participating_organisations_qualifier) == (70, "more_than")
    assert seminar.history.earliest().history_user == editor


def test_a_valid_xlsx_with_blank_kind_and_qualifier_takes_the_defaults(editor_client, known):
    row = seminar_row(known, kind="", participating_organisations_qualifier="", held_on="", dialogue_round="")

    assert import_file(editor_client, Seminar, xlsx_file([row]), XLSX_FORMAT).status_code == 302
    seminar = Seminar.objects.get()
    assert (seminar.kind, seminar.participating_organisations_qualifier) == ("seminar", "exact")
    assert (seminar.held_on, seminar.held_on_precision) == (None, "")


BAD_ROWS = {
    "unknown country": ({"countries": "KZ;ZZ"}, "countries", "Unknown countries: “ZZ”."),
    "no country": ({"countries": ""}, "countries", "Give at least one."),
    "bad date": ({"held_on": "2009-02-30"}, "held_on", "“2009-02-30” is not a date"),
    "negative count": ({"participating_organisations": "-3"}, "participating_organisations", "greater than or equal"),
    "unknown organiser": ({"organisers": "nobody"}, "organisers", "Unknown organisations: “nobody”."),
    "duplicate in the file": ({"title": "Civil society seminar 3"}, "title", "Duplicate: row 4"),
}


@pytest.mark.parametrize("changes, field, reason", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_in_a_hundred_writes_nothing_and_names_the_row_field_and_reason(
    editor_client, known, changes, field, reason
):
    rows = [seminar_row(known, n) for n in range(1, 101)]
    rows[56] = seminar_row(known, 57, **changes)

    response = preview(editor_client, Seminar, csv_file(rows))

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 57
    assert reason in " ".join(invalid.error_dict[field])
    assert Seminar.objects.count() == 0


def test_export_then_reimport_gives_back_the_same_seminars(editor_client, known):
    import_file(editor_client, Seminar, csv_file([seminar_row(known, n) for n in range(1, 4)]))
    before = export(editor_client, Seminar, "0").content.decode()

    # the export carries the ids: every cell reads back as it is stored, so each row changes nothing
    response = preview(editor_client, Seminar, SimpleUploadedFile("s.csv", before.encode()))
    assert {row.import_type for row in response.context["result"].valid_rows()} == {"skip"}
    assert confirm(editor_client, Seminar, response).status_code == 302
    assert Seminar.objects.count() == 3

    assert sorted(export(editor_client, Seminar, "0").content.decode().splitlines()) == sorted(before.splitlines())


def test_staff_without_permission_may_neither_import_nor_export(client, staff_without_permissions):
    client.force_login(staff_without_permissions)

    assert client.get(admin_url(Seminar, "import")).status_code == 403
    assert client.get(admin_url(Seminar, "export")).status_code == 403
