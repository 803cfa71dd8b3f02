"""The DAC sectors' names in the reader's language: Russian where the mapping table has it,
else English marked as such; editors enter both in the admin."""

import importlib
import re

from django.apps import apps
from django.urls import reverse

from funding.models import ProjectSector, ProjectSourceKind, SectorTopic
from tests.factories import make_country, make_project

UNTRANSLATED = "99990"  # a synthetic code, named in English only


def sector_options(client, path):
    """{code: the label's HTML} of the listing's sector checkboxes."""
    content = client.get(path).content.decode()
    labels = re.findall(r'<label[^>]*>\s*<input[^>]*name="sector" value="(\d{5})"[^>]*>(.*?)</label>', content, re.S)
    assert labels, "no sector checkbox found"
    return dict(labels)


def test_a_russian_listing_names_the_sectors_in_russian(client, db):
    options = sector_options(client, "/ru/funding/projects/")
    assert "15160 Права человека" in options["15160"]
    assert "15153 СМИ и свободное распространение информации" in options["15153"]
    assert 'lang="en"' not in options["15160"] and "Human rights" not in options["15160"]


def test_a_sector_with_no_russian_name_shows_its_english_name_marked_as_english(client, db):
    SectorTopic.objects.create(code=UNTRANSLATED, name_en="Sector XX-TEST")
    options = sector_options(client, "/ru/funding/projects/")
    assert f'{UNTRANSLATED} <span lang="en">Sector XX-TEST</span>' in options[UNTRANSLATED]


def test_the_english_listing_names_the_sectors_in_english(client, db):
    options = sector_options(client, "/en/funding/projects/")
    assert "15160 Human rights" in options["15160"] and "Права человека" not in options["15160"]
    assert 'lang="en"' not in options["15160"]


def test_a_stated_code_with_no_mapping_row_shows_only_its_code(client, db):
    project = make_project(title="Project XX-TEST", source_kind=ProjectSourceKind.IATI, iati_identifier="XX-TEST-9")
    ProjectSector.objects.create(project=project, code="99811")
    for language in ("en", "ru"):
        label = sector_options(client, f"/{language}/funding/projects/")["99811"]
        assert re.sub(r"<[^>]+>|\s+", " ", label).split()[0] == "99811"
        assert "None" not in label and 'lang="en"' not in label


def test_the_migration_keeps_a_russian_name_an_editor_entered(db):
    SectorTopic.objects.filter(code="15160").update(name_ru="Права человека (XX-TEST)")
    SectorTopic.objects.filter(code="15150").update(name_ru="")
    importlib.import_module("funding.migrations.0019_sector_names_in_russian_seed").fill(apps, None)
    names = dict(SectorTopic.objects.values_list("code", "name_ru"))
    assert names["15160"] == "Права человека (XX-TEST)"
    assert names["15150"] == "Демократическое участие и гражданское общество"


def test_an_editor_enters_the_russian_name_in_the_admin(editor_client, db):
    row = SectorTopic.objects.create(code=UNTRANSLATED, name_en="Sector XX-TEST")
    url = reverse("admin:funding_sectortopic_change", args=[row.pk])
    form = editor_client.get(url).content.decode()
    assert 'name="name_en"' in form and 'name="name_ru"' in form
    response = editor_client.post(url, {"code": UNTRANSLATED, "name_en": "Sector XX-TEST", "name_ru": "Сектор XX-TEST"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.name_en, row.name_ru) == ("Sector XX-TEST", "Сектор XX-TEST")
    assert SectorTopic._base_manager.values_list("name", flat=True).get(pk=row.pk) == "Sector XX-TEST"


def test_an_iati_project_page_names_its_sectors_in_the_readers_language_with_their_shares(client, db):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from funding.models import Project

    for code in ("KZ", "KG", "TJ", "TM", "UZ"):
        make_country(code)
    files = Path(__file__).parent / "iati_files"
    call_command("import_iati", str(files / "activities-2.03.xml"), "--publish", stdout=StringIO())
    project = Project.objects.filter(sectors__code="15160").first()
    shares = dict(project.sectors.values_list("code", "percentage"))
    english = client.get(f"/en/funding/projects/{project.pk}/").content.decode()
    russian = client.get(f"/ru/funding/projects/{project.pk}/").content.decode()
    assert 'href="/en/funding/projects/?sector=15160">15160</a> Human rights' in english
    assert "15160</a> Права человека" in russian
    if shares["15160"] is not None:
        assert f"({shares['15160'].normalize():f}%)" in english
