"""Projects filtered by the kind of their record (IATI or editorial) and by the DAC sectors they
state, alike on the listing, in the API and in the exports; drafts never counted nor named."""

import csv
import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from funding.models import Project, ProjectSector, ProjectSourceKind
from tests.factories import DRAFT, make_country, make_project

MAIN = Path(__file__).parent / "iati_files" / "activities-2.03.xml"
EDITORIAL_TITLE = "An editorial project (invented)"
DRAFT_TITLE = "A draft IATI project (invented)"


@pytest.fixture
def imported(db):
    countries = {code: make_country(code) for code in ("KZ", "KG", "TJ", "TM", "UZ")}
    call_command("import_iati", str(MAIN), "--publish", stdout=StringIO(), stderr=StringIO())
    make_project(title=EDITORIAL_TITLE, countries=[countries["KZ"]])
    hidden = make_project(
        title=DRAFT_TITLE,
        countries=[countries["KZ"]],
        publication_status=DRAFT,
        source_kind=ProjectSourceKind.IATI,
        iati_identifier="XX-TEST-DRAFT",
    )
    # a code no published project states, and one a published project states too
    ProjectSector.objects.create(project=hidden, code="99810")
    ProjectSector.objects.create(project=hidden, code="15160")


def stated(code):
    """The identifiers of the published projects stating sector `code`, from the database."""
    return set(
        Project.objects.published().filter(sectors__code=code).values_list("iati_identifier", flat=True).distinct()
    )


def api_titles(client, query):
    response = client.get(f"/api/v1/projects/?{query}&page_size=100")
    assert response.status_code == 200, response.content
    return {row["title"]: row for row in response.json()["results"]}


def export_rows(client, query, fmt="csv"):
    response = client.get(f"/en/funding/projects/export.{fmt}?{query}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    if fmt == "json":
        return json.loads(content)
    return list(csv.DictReader(io.StringIO(content, newline="")))


def test_the_api_filters_by_the_kind_of_record(imported, client):
    iati = api_titles(client, "source_kind=iati")
    editorial = api_titles(client, "source_kind=editorial")
    assert iati and {row["source_kind"] for row in iati.values()} == {"iati"}
    assert set(editorial) == {EDITORIAL_TITLE}
    assert editorial[EDITORIAL_TITLE]["source_kind"] == "editorial"
    assert set(iati) == set(Project.objects.published().filter(source_kind="iati").values_list("title", flat=True))
    assert DRAFT_TITLE not in iati


def test_the_api_filters_by_sector_and_any_of_several(imported, client):
    rights = stated("15160")
    assert rights  # the test file states it
    found = api_titles(client, "sector=15160")
    assert {Project.objects.get(title=title).iati_identifier for title in found} == rights
    either = api_titles(client, "sector=15160,15150")
    assert {Project.objects.get(title=t).iati_identifier for t in either} == rights | stated("15150")
    assert api_titles(client, "sector=15160&source_kind=editorial") == {}
    assert DRAFT_TITLE not in api_titles(client, "sector=15160")
    assert api_titles(client, "sector=99810") == {}  # only a draft states it


@pytest.mark.parametrize(
    "query", ["sector=1516", "sector=15160,abcde", "sector=%EF%BC%91%EF%BC%95%EF%BC%91%EF%BC%96%EF%BC%90"]
)
def test_a_code_that_is_not_a_dac_code_is_refused_by_name(imported, client, query):
    response = client.get(f"/api/v1/projects/?{query}")
    assert response.status_code == 400
    assert "Not a DAC 5-digit sector code" in response.json()["sector"][0]
    assert client.get(f"/en/funding/projects/export.csv?{query}").status_code == 400
    page = client.get(f"/en/funding/projects/?{query}")
    assert page.status_code == 200 and "Not a DAC 5-digit sector code" in page.content.decode()


def test_an_unknown_kind_is_refused(imported, client):
    assert client.get("/api/v1/projects/?source_kind=press").status_code == 400


def test_the_listing_filters_and_offers_the_sectors_published_projects_state(imported, client):
    content = client.get("/en/funding/projects/?sector=15160").content.decode()
    assert 'value="15160" id="id_sector_' in content and "15160 Human rights" in content
    for project in Project.objects.published().filter(sectors__code="15160"):
        assert project.title in content
    assert EDITORIAL_TITLE not in content and DRAFT_TITLE not in content
    assert 'value="99810"' not in content  # a code only a draft states is not named
    every = client.get("/en/funding/projects/").content.decode()
    assert 'value="99810"' not in every
    assert ">IATI</abbr>" in content  # each row says where its record comes from
    kinds = client.get("/en/funding/projects/?source_kind=editorial").content.decode()
    assert EDITORIAL_TITLE in kinds and "Test project one" not in kinds and ">IATI</abbr>" not in kinds


def test_the_russian_listing_names_the_filters_and_kinds_in_russian(imported, client):
    content = client.get("/ru/funding/projects/?source_kind=iati").content.decode()
    for text in ("Вид записи", "файл мероприятий IATI", "Сектор (DAC)", "Из файла мероприятий IATI"):
        assert text in content
    refused = client.get("/ru/funding/projects/?sector=1516").content.decode()
    assert "Это не пятизначный код сектора DAC: 1516." in refused


def test_the_exports_filter_alike_and_carry_kind_identifier_and_sectors(imported, client):
    rows = export_rows(client, "sector=15160")
    assert {row["iati_identifier"] for row in rows} == stated("15160")
    for row in rows:
        assert row["source_kind"] == "iati" and "15160" in row["sectors"].split(";")
        codes = Project.objects.get(iati_identifier=row["iati_identifier"]).sectors.values_list("code", flat=True)
        assert row["sectors"] == ";".join(sorted(codes))
    editorial = export_rows(client, "source_kind=editorial", fmt="json")
    assert [row["title"] for row in editorial] == [EDITORIAL_TITLE]
    assert editorial[0]["sectors"] == "" and editorial[0]["iati_identifier"] is None
    response = client.get("/en/funding/projects/export.csv?source_kind=iati&sector=15160")
    assert 'filename="projects-iati-15160.csv"' in response["Content-Disposition"]


def test_the_data_dictionary_explains_the_new_columns(imported, client):
    content = client.get("/en/data/").content.decode()
    for column in ("source_kind", "iati_identifier", "sectors"):
        assert f"<code>{column}</code>" in content


def test_the_api_detail_states_the_sectors(imported, client):
    project = Project.objects.get(iati_identifier="XX-TEST-1")
    detail = client.get(f"/api/v1/projects/{project.pk}/").json()
    assert {row["code"] for row in detail["iati_sectors"]} == set(project.sectors.values_list("code", flat=True))
    editorial = Project.objects.get(title=EDITORIAL_TITLE)
    assert client.get(f"/api/v1/projects/{editorial.pk}/").json()["iati_sectors"] == []


@pytest.mark.parametrize("extra", [1, 30])
def test_a_sector_filtered_listing_and_api_page_read_a_fixed_number_of_queries(
    imported, client, django_assert_max_num_queries, extra
):
    country = make_country("XK", name="Invented country")
    for n in range(extra):
        project = make_project(
            title=f"Invented IATI project {n}",
            countries=[country],
            source_kind=ProjectSourceKind.IATI,
            iati_identifier=f"XX-TEST-QC-{n}",
        )
        ProjectSector.objects.create(project=project, code="15160")
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(16):
        assert client.get("/en/funding/projects/?sector=15160&source_kind=iati").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/projects/?sector=15160&source_kind=iati").status_code == 200


@pytest.mark.postgres
def test_the_copy_export_writes_the_sectors_as_the_python_path_does(imported, client):
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")
    from tests.test_export_copy import assert_same_rows

    copied, _python = assert_same_rows(client, "/en/funding/projects/export.csv?source_kind=iati")
    assert "15153;15160" in copied
    assert_same_rows(client, "/en/funding/projects/export.csv?sector=15160,15150")


def test_regional_activities_are_found_by_their_region_though_they_name_no_country(imported, client):
    regional = set(Project.objects.published().filter(recipient_region="619").values_list("title", flat=True))
    assert regional and not Project.objects.filter(title__in=regional, countries__isnull=False).exists()
    assert set(api_titles(client, "region=619")) == regional
    page = client.get("/en/funding/projects/?region=619").content.decode()
    assert all(title in page for title in regional) and EDITORIAL_TITLE not in page
    assert {row["title"] for row in export_rows(client, "region=619")} == regional
    assert client.get("/api/v1/projects/?region=620").status_code == 400  # not a region the portal knows
    assert "Central Asia, regional" in client.get("/en/funding/projects/").content.decode()
