"""The admin shows what an IATI file states about a project, read-only, and lets an editor link
duplicates and map sectors to topics."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from funding.models import Project, SectorTopic
from tests.factories import make_country, make_topic

MAIN = Path(__file__).parent / "iati_files" / "activities-2.03.xml"


@pytest.fixture
def imported(db):
    for code in ("KZ", "KG", "TJ", "TM", "UZ"):
        make_country(code)
    call_command("import_iati", str(MAIN), stdout=StringIO(), stderr=StringIO())
    return Project.objects.get(iati_identifier="XX-TEST-1")


def test_an_iati_project_page_shows_its_stated_rows_read_only(editor_client, imported):
    page = editor_client.get(reverse("admin:funding_project_change", args=[imported.pk])).content.decode()
    assert "XX-TEST-1" in page and "250000" in page and "120000.50" in page and "15160" in page
    assert 'name="iati_identifier"' not in page  # read-only
    assert 'name="transactions-0-value"' not in page
    assert 'name="duplicate_of"' in page


def test_an_editorial_project_page_has_no_iati_rows(editor_client, db):
    project = Project.objects.create(title_en="Editorial test project")
    page = editor_client.get(reverse("admin:funding_project_change", args=[project.pk])).content.decode()
    assert "transactions-TOTAL_FORMS" not in page


def test_an_editor_maps_a_sector_to_a_topic(editor_client, seeded_sectors):
    topic = make_topic()
    row = SectorTopic.objects.get(code="15160")
    response = editor_client.post(
        reverse("admin:funding_sectortopic_change", args=[row.pk]),
        {"code": "15160", "name_en": "Human rights", "name_ru": "Права человека", "topic": topic.pk},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.topic == topic
