"""Importing projects from spreadsheets in the admin: preview, confirm, all or nothing, drafts."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogues.publishing import PublicationStatus
from funding.models import Project
from tests.factories import make_call, make_country, make_organisation, make_programme, make_source, make_topic
from tests.spreadsheets import (
    XLSX_FORMAT,
    admin_url,
    confirm,
    csv_file,
    export,
    import_file,
    preview,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(db):
    return project_references()


def project_references():
    """The records a project row refers to, by their public identifiers."""
    return {
        "kz": make_country("KZ", slug="kazakhstan"),
        "uz": make_country("UZ", slug="uzbekistan"),
        "topic": make_topic(slug="torture-prevention"),
        "programme": make_programme(slug="eidhr"),
        "organisation": make_organisation(slug="legal-aid-centre"),
        "source": make_source(title="EU Delegation press release, 2010"),
    }


def project_row(known, n=1, **changes):
    row = {
        "title": f"Access to justice {n}",
        "programme": "eidhr",
        "call": "",
        "countries": "kz; UZ",
        "implementing_organisation": "legal-aid-centre",
        "topics": "torture-prevention",
        "eu_contribution_eur": "150000.50",
        "starts_on": "2010",
        "ends_on": "2011-06",
        "duration_months": "18",
        "status": "completed",
        "summary": "Legal aid for detainees.",
        "sources": str(known["source"].pk),
        "publication_status": "published",  # ignored: imports are drafts
    }
    row.update(changes)
    return row


def test_a_valid_csv_creates_draft_projects_with_relations_dates_and_history(editor_client, editor, known):
    response = import_file(editor_client, Project, csv_file([project_row(known, 1), project_row(known, 2)]))

    assert response.status_code == 302
    assert Project.objects.count() == 2
    project = Project.objects.get(title="Access to justice 1")
    assert project.publication_status == PublicationStatus.DRAFT
    assert project.is_synthetic is False
    assert set(project.countries.all()) == {known["kz"], known["uz"]}
    assert list(project.topics.all()) == [known["topic"]]
    assert list(project.sources.all()) == [known["source"]]
    assert project.programme == known["programme"]
    assert project.implementing_organisation == known["organisation"]
    assert project.eu_contribution_eur == Decimal("150000.50")
    assert (project.starts_on, project.starts_on_precision) == (datetime.date(2010, 1, 1), "year")
    assert (project.ends_on, project.ends_on_precision) == (datetime.date(2011, 6, 1), "month")
    created = project.history.earliest()
    assert (created.history_type, created.history_user) == ("+", editor)


def test_a_valid_xlsx_imports_with_spreadsheet_numbers_and_dates(editor_client, known):
    call = make_call(programme=known["programme"])
    row = project_row(
        known,
        call=call.pk,
        eu_contribution_eur=250000,
        starts_on=datetime.datetime(2012, 3, 15),
        ends_on=2014,
        duration_months=24,
        sources=f"{known['source'].title}",
    )

    response = import_file(editor_client, Project, xlsx_file([row]), XLSX_FORMAT)

    assert response.status_code == 302
    project = Project.objects.get()
    assert project.call == call
    assert project.eu_contribution_eur == Decimal("250000")
    assert (project.starts_on, project.starts_on_precision) == (datetime.date(2012, 3, 15), "day")
    assert (project.ends_on, project.ends_on_precision) == (datetime.date(2014, 1, 1), "year")
    assert project.duration_months == 24
    assert list(project.sources.all()) == [known["source"]]
    assert project.history.filter(history_type="+").exists()


def test_a_blank_amount_is_unknown_never_zero(editor_client, known):
    import_file(editor_client, Project, csv_file([project_row(known, eu_contribution_eur="")]))

    assert Project.objects.get().eu_contribution_eur is None


BAD_ROWS = {
    "unknown country": ({"countries": "KZ;XX"}, "countries", "Unknown countries: “XX”."),
    "bad date": ({"starts_on": "2010-13-01"}, "starts_on", "“2010-13-01” is not a date"),
    "negative amount": ({"eu_contribution_eur": "-100"}, "eu_contribution_eur", "An amount cannot be negative"),
    "duplicate in the file": ({"title": "Access to justice 3"}, "title", "Duplicate: row 4 of this file"),
    "end before start": ({"starts_on": "2012", "ends_on": "2011"}, "ends_on", "The end cannot come before the start"),
    "zero amount": ({"eu_contribution_eur": "0"}, "eu_contribution_eur", "An amount of 0 is not accepted"),
    "bad status": ({"status": "weird"}, "status", "“weird” is not a valid status: choose one of planned ("),
    "unknown programme": ({"programme": "nope"}, "programme", "Unknown programme: “nope”."),
    "control character": ({"summary": "Legal\x0baid"}, "summary", "invisible character U+000B"),
    "direction override": ({"title": "Access \u202eto justice"}, "title", "invisible character U+202E"),
}


@pytest.mark.parametrize("changes, field, reason", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_in_a_hundred_writes_nothing_and_names_the_row_field_and_reason(
    editor_client, known, changes, field, reason
):
    rows = [project_row(known, n) for n in range(1, 101)]
    rows[56] = project_row(known, 57, **changes)  # row 57 of the data, line 58 of the file

    response = preview(editor_client, Project, csv_file(rows))

    assert response.status_code == 200
    assert "confirm_form" not in response.context  # no way to confirm
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 57
    assert field in invalid.error_dict
    assert reason in " ".join(invalid.error_dict[field])
    assert reason in response.content.decode()
    assert Project.objects.count() == 0


def test_a_row_duplicating_a_stored_project_is_refused(editor_client, known):
    Project.objects.create(title="Access to justice 1", programme=known["programme"])

    response = preview(editor_client, Project, csv_file([project_row(known, 2), project_row(known, 1)]))

    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert "already exists" in invalid.error_dict["title"][0]
    assert Project.objects.count() == 1


def test_the_confirm_step_writes_nothing_if_a_row_became_invalid_after_the_preview(editor_client, known):
    response = preview(editor_client, Project, csv_file([project_row(known, 1), project_row(known, 2)]))
    Project.objects.create(title="Access to justice 2", programme=known["programme"])  # meanwhile

    response = confirm(editor_client, Project, response)

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert list(Project.objects.values_list("title", flat=True)) == ["Access to justice 2"]


@pytest.mark.parametrize("name", ["projects.txt", "projects.json", "projects.xls"])
def test_a_file_of_another_type_is_refused(editor_client, known, name):
    response = preview(editor_client, Project, csv_file([project_row(known)], name=name))

    assert response.status_code == 200
    assert "Upload a CSV (.csv) or Excel (.xlsx) file." in response.context["form"].errors["import_file"]
    assert Project.objects.count() == 0


def test_a_csv_sent_as_xlsx_is_refused(editor_client, known):
    response = preview(editor_client, Project, csv_file([project_row(known)]), XLSX_FORMAT)

    assert "The file's type does not match the format chosen." in response.context["form"].errors["format"]


def test_an_oversize_file_is_refused(editor_client, known, settings):
    settings.IMPORT_MAX_FILE_SIZE = 1000
    rows = [project_row(known, n) for n in range(1, 20)]

    response = preview(editor_client, Project, csv_file(rows))

    assert response.status_code == 200
    [error] = response.context["form"].errors["import_file"]
    assert "the largest accepted is 1000\xa0bytes" in error
    assert Project.objects.count() == 0


def test_export_then_reimport_gives_back_the_same_projects(editor_client, known):
    call = make_call(programme=known["programme"])
    for n in range(3):
        import_file(editor_client, Project, csv_file([project_row(known, n, call=str(call.pk) if n else "")]))
    Project.objects.filter(title__endswith="0").update(eu_contribution_eur=None, starts_on=None, starts_on_precision="")
    before = export(editor_client, Project, "0").content.decode()

    # the export carries the ids: every cell reads back as it is stored, so each row changes nothing
    response = preview(editor_client, Project, csv_file_from_text(before))
    assert {row.import_type for row in response.context["result"].valid_rows()} == {"skip"}
    assert confirm(editor_client, Project, response).status_code == 302
    after = export(editor_client, Project, "0").content.decode()
    assert sorted(after.splitlines()) == sorted(before.splitlines())
    assert Project.objects.count() == 3


def csv_file_from_text(text):
    return SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv")


@pytest.mark.parametrize("file_format, content_type", [("0", "text/csv"), ("1", "spreadsheetml"), ("2", "json")])
def test_the_admin_exports_csv_xlsx_and_json(editor_client, known, file_format, content_type):
    import_file(editor_client, Project, csv_file([project_row(known)]))

    response = export(editor_client, Project, file_format)

    assert response.status_code == 200
    assert content_type in response["Content-Type"]


def test_the_changelist_offers_import_export_next_to_add(editor_client):
    content = editor_client.get(admin_url(Project, "changelist")).content.decode()

    assert admin_url(Project, "import") in content
    assert admin_url(Project, "export") in content
    assert admin_url(Project, "add") in content


def test_a_publisher_may_import(publisher_client, known):
    assert import_file(publisher_client, Project, csv_file([project_row(known)])).status_code == 302


def test_staff_without_permission_may_neither_import_nor_export(client, staff_without_permissions, known):
    client.force_login(staff_without_permissions)

    assert client.get(admin_url(Project, "import")).status_code == 403
    assert preview(client, Project, csv_file([project_row(known)])).status_code == 403
    assert client.post(admin_url(Project, "process_import"), {}).status_code == 403
    assert client.get(admin_url(Project, "export")).status_code == 403
    assert Project.objects.count() == 0


def test_an_amount_of_zero_is_refused_by_the_database_too(known):
    from django.db import IntegrityError, transaction

    project = Project.objects.create(title="A project", programme=known["programme"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(eu_contribution_eur=0)
    Project.objects.filter(pk=project.pk).update(eu_contribution_eur=None)  # unknown: blank, never 0


def test_amounts_of_zero_are_refused_for_calls_and_programmes_in_the_database(known):
    from django.db import IntegrityError, transaction

    from funding.models import Call, Programme

    for model, field in ((Call, "total_amount_eur"), (Programme, "envelope_eur")):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=known["programme"].pk if model is Programme else make_call().pk).update(
                **{field: 0}
            )


# --- The uploaded file between preview and confirm: in the database, whatever the cache does.


@pytest.fixture
def unreachable_redis(settings):
    """The cache as production configures it, pointing at a port where nothing listens."""
    import socket

    from dialogues_portal import cache_backend

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "dialogues_portal.cache_backend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    cache_backend._outages.clear()
    yield
    cache_backend._outages.clear()


def test_preview_and_confirm_succeed_while_redis_is_down(editor_client, known, unreachable_redis):
    response = import_file(editor_client, Project, csv_file([project_row(known, 1), project_row(known, 2)]))

    assert response.status_code == 302
    assert Project.objects.count() == 2


def test_the_kept_file_is_deleted_once_confirmed_and_a_second_confirm_says_so(editor_client, known):
    from dialogues_portal.models import PendingImport

    response = preview(editor_client, Project, csv_file([project_row(known, 1)]))
    assert PendingImport.objects.count() == 1
    assert confirm(editor_client, Project, response).status_code == 302
    assert PendingImport.objects.count() == 0

    again = confirm(editor_client, Project, response)

    assert again.status_code == 302 and again.url == admin_url(Project, "import")
    assert Project.objects.count() == 1


@pytest.mark.parametrize("name", ["../../../etc/passwd", "/etc/passwd", "not-a-uuid", ""])
def test_a_confirm_naming_anything_but_a_kept_upload_reads_nothing(editor_client, known, name):
    response = preview(editor_client, Project, csv_file([project_row(known, 1)]))
    form = response.context["confirm_form"]
    data = {field: form.initial.get(field, "") for field in form.fields} | {"import_file_name": name}

    answer = editor_client.post(admin_url(Project, "process_import"), data)

    assert answer.status_code in (200, 302)  # the form's own error for a blank name, a message otherwise
    assert Project.objects.count() == 0


# --- A large file: a fixed number of queries whatever its length (dialogues/import_bulk.py).


def _queries_to_import(client, known, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    upload = csv_file([project_row(known, n) for n in range(1, count + 1)])
    with CaptureQueriesContext(connection) as previewing:
        response = preview(client, Project, upload)
    with CaptureQueriesContext(connection) as confirming:
        assert confirm(client, Project, response).status_code == 302
    return response, len(previewing), len(confirming)


def test_a_large_import_makes_as_many_queries_as_a_small_one(editor_client, editor, known, settings):
    settings.IMPORT_BACKGROUND_ROWS = 2_000  # in the request here; the task worker runs the same import
    _small, small_preview, small_confirm = _queries_to_import(editor_client, known, 20)
    Project.objects.all().delete()

    response, preview_queries, confirm_queries = _queries_to_import(editor_client, known, 2_000)

    assert (preview_queries, confirm_queries) == (small_preview, small_confirm)
    assert preview_queries < 60 and confirm_queries < 60
    assert len(response.context["result"].preview_rows) == 100  # the page shows the first rows, counts all
    assert b"2000 rows: 2000 new, 0 changed, 0 unchanged." in response.content
    assert Project.objects.count() == 2_000
    project = Project.objects.get(title="Access to justice 1999")
    (entry,) = project.history.all()  # one entry per record, saying where it came from
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+",
        editor,
        "Imported from the spreadsheet “records.csv”",
    )
    assert {country.country_id for country in entry.countries.all()} == {known["kz"].pk, known["uz"].pk}
    assert set(project.countries.all()) == {known["kz"], known["uz"]}


def test_a_reimport_of_changed_rows_updates_them_in_bulk_with_one_history_entry_each(editor_client, known):
    import_file(editor_client, Project, csv_file([project_row(known, n) for n in range(1, 4)]))  # drafts
    rows = [
        project_row(known, n, id=project.pk, countries="KZ", eu_contribution_eur="99.50")
        for n, project in enumerate(Project.objects.order_by("title"), start=1)
    ]

    response = import_file(editor_client, Project, csv_file(rows))

    assert response.status_code == 302
    for project in Project.objects.all():
        assert project.eu_contribution_eur == Decimal("99.50")
        assert list(project.countries.all()) == [known["kz"]]
        changed = project.history.first()
        assert changed.history_type == "~" and changed.history_change_reason.startswith("Imported from")
        assert [c.country_id for c in changed.countries.all()] == [known["kz"].pk]
        assert project.history.count() == 2
