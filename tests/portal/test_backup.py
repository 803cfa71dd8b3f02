"""manage.py backup and restore: a restored backup is indistinguishable from the original."""

import gzip
import json
import os
import re
import stat

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from dialogues.models import Country, Source
from dialogues.services import records_publish
from funding.models import Project
from tests.spreadsheets import csv_file, import_file

# transaction=True: flush and restore commit for real, as they do in production (PostgreSQL refuses
# to TRUNCATE inside the test transaction).
pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/en/",
    "/en/countries/kazakhstan/",
    "/en/funding/",
    "/en/funding/projects/",
    "/en/seminars/",
    "/en/dialogues/",
    "/en/topics/",
]
API = ["/api/v1/projects/", "/api/v1/countries/KZ/", "/api/v1/stats/", "/api/v1/dialogue-rounds/", "/api/v1/seminars/"]
VARYING = re.compile(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"')  # differ on every request


def answers(urls):
    """Status and content of each URL for the public, with per-request tokens blanked out."""
    cache.clear()  # compare what the database gives, not what a cache kept
    client = Client()
    result = {}
    for url in urls:
        api = url.startswith("/api/")
        response = client.get(url, HTTP_ACCEPT="application/json" if api else "text/html")
        content = response.content.decode()
        result[url] = (response.status_code, json.loads(content) if api else VARYING.sub("", content))
    return result


def history_rows():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.model_name.startswith("historical")
    }


@pytest.fixture
def edited_real_data(real_data, editor_client, publisher):
    """The real data, plus what editors do in the admin: an import, a correction, a publication."""
    source = real_data_source()
    row = {
        "title": "Backup test project",
        "programme": Project.objects.filter(programme__isnull=False).first().programme.slug,
        "countries": "KZ",
        "eu_contribution_eur": "1000",
        "starts_on": "2012-05",
        "sources": str(source.pk),
    }
    assert import_file(editor_client, Project, csv_file([row])).status_code == 302
    country = Country.objects.get(iso_code="KZ")
    country.summary += " Corrected."
    country._history_user = publisher
    country.save()
    records_publish(user=publisher, records=Project.objects.filter(title="Backup test project"))


def real_data_source():
    return Source.objects.published().first()


def test_a_restored_backup_answers_exactly_as_the_original(edited_real_data, tmp_path):
    urls = [*PAGES, *API, f"/api/v1/projects/{Project.objects.get(title='Backup test project').pk}/"]
    before, history_before = answers(urls), history_rows()
    users_before = list(get_user_model().objects.values_list("pk", "username", "password").order_by("pk"))
    assert all(status == 200 for status, _ in before.values())
    backup = tmp_path / "portal.json.gz"

    call_command("backup", output=str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Project.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert answers(urls) == before
    assert history_rows() == history_before
    assert list(get_user_model().objects.values_list("pk", "username", "password").order_by("pk")) == users_before
    assert Project.history.filter(title="Backup test project").exclude(history_user=None).exists()


def test_restored_ids_continue_after_the_restored_records(edited_real_data, tmp_path):
    backup = tmp_path / "portal.json.gz"
    call_command("backup", output=str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), verbosity=0)
    highest = Project.objects.order_by("-pk").first().pk

    project = Project.objects.create(title="After the restore", programme=Project.objects.first().programme)

    assert project.pk > highest


def test_the_backup_is_gzipped_json_without_sessions_permissions_or_lockout_logs(edited_real_data, tmp_path):
    from dialogues.import_background import check_import
    from dialogues_portal.models import PendingImport

    PendingImport.objects.create(data=b"an upload waiting for its confirmation")
    from django.contrib.auth import get_user_model

    from funding.models import IatiUpload

    uploader = get_user_model().objects.create_user("uploader-invented")
    IatiUpload.objects.create(data=b"<iati-activities/>", file_name="waiting.xml", user=uploader)
    check_import.enqueue("00000000-0000-0000-0000-000000000000")  # a queued task
    backup = tmp_path / "portal.json.gz"
    call_command("backup", output=str(backup), verbosity=0)

    with gzip.open(backup, "rt") as file:
        labels = {row["model"] for row in json.load(file)}

    assert {"dialogues.country", "funding.historicalproject", "auth.user", "auth.group"} <= labels
    assert not labels & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    assert not any(label.startswith("axes.") for label in labels)
    assert not labels & {"dialogues_portal.pendingimport", "funding.iatiupload", "django_tasks_database.dbtaskresult"}


def test_restore_refuses_a_database_that_holds_records(edited_real_data, tmp_path):
    backup = tmp_path / "portal.json.gz"
    call_command("backup", output=str(backup), verbosity=0)
    projects = Project.objects.count()

    with pytest.raises(CommandError, match="Refusing to restore: the database already holds records"):
        call_command("restore", str(backup), verbosity=0)
    assert Project.objects.count() == projects


def test_backup_never_overwrites_a_file(tmp_path, db):
    backup = tmp_path / "portal.json.gz"
    backup.write_text("precious")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(backup), verbosity=0)
    assert backup.read_text() == "precious"


def test_the_backup_file_is_readable_by_its_owner_alone_whatever_the_umask(tmp_path, db):
    # it holds password hashes and API tokens: 0600 even under umask 000 (0666 before)
    backup = tmp_path / "portal.json.gz"
    previous = os.umask(0)
    try:
        call_command("backup", output=str(backup), verbosity=0)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
