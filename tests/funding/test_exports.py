"""Project and programme exports: the listing's filters, streamed, amounts as known, no drafts."""

import csv
import io
import json
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest

from dialogues.import_export import TextWidget
from funding.models import Project
from tests.factories import DRAFT, make_call, make_country, make_programme, make_project, make_records, make_topic
from tests.spreadsheets import export

pytestmark = pytest.mark.django_db


def content(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_csv_export_filtered_by_country(client):
    make_project(title="In Kazakhstan", countries=[make_country("KZ")])
    make_project(title="In Tajikistan", countries=[make_country("TJ")])
    response = client.get("/en/funding/projects/export.csv?country=KZ")
    assert 'filename="projects-KZ.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(content(response))))
    assert [row["title"] for row in rows] == ["In Kazakhstan"]


def test_json_export_gives_unknown_amounts_as_null_and_the_call_but_not_its_total(client):
    call = make_call(total_amount_eur=Decimal("670000"))
    for _ in range(3):
        make_project(call=call, programme=call.programme)
    rows = json.loads(content(client.get("/en/funding/projects/export.json")))
    assert all(row["eu_contribution_eur"] is None for row in rows)
    assert {row["call_id"] for row in rows} == {call.pk}
    # a package's total on each of its three rows would be summed three times
    assert not any("670000" in str(value) for row in rows for value in row.values())


def test_drafts_never_exported(client):
    make_project(title="Draft project", publication_status=DRAFT)
    make_programme(name="Draft programme", publication_status=DRAFT)
    assert "Draft project" not in content(client.get("/en/funding/projects/export.csv"))
    assert "Draft programme" not in content(client.get("/en/funding/programmes/export.json"))


@pytest.mark.parametrize("rows", [1, 60])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_project_export_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows, fmt):
    make_records(rows)
    # one batch of projects with programme and call (1), its countries, topics, sources and
    # stated sectors (4)
    with django_assert_max_num_queries(5):
        content(client.get(f"/en/funding/projects/export.{fmt}"))


@pytest.mark.parametrize("rows", [1, 60])
def test_programme_export_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        make_programme()
    # one batch of programmes with predecessor (1), prefetched countries and sources (2)
    with django_assert_max_num_queries(3):
        content(client.get("/en/funding/programmes/export.csv"))


def test_admin_csv_export_starts_with_a_byte_order_mark(editor_client):
    make_project(title="Media – €300,000")
    body = export(editor_client, Project, "0").content
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Media – €300,000" in body.decode("utf-8-sig")


def test_csv_amounts_stay_numbers_beside_neutralised_titles(client):
    make_project(title="=1+1", eu_contribution_eur=Decimal("670000.00"))
    rows = list(
        csv.DictReader(io.StringIO(content(client.get("/en/funding/projects/export.csv")).removeprefix("\ufeff")))
    )
    assert (rows[0]["title"], rows[0]["eu_contribution_eur"]) == ("'=1+1", "670000.00")


@pytest.mark.parametrize("title", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_admin_csv_and_xlsx_exports_carry_no_live_formula(editor_client, title):
    make_project(title=title, summary="-")
    body = export(editor_client, Project, "0").content.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(body, newline="")))
    assert (row["title"], row["summary"]) == (f"'{title}", "'-")
    sheet = openpyxl.load_workbook(io.BytesIO(export(editor_client, Project, "1").content)).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("title") + 1)
    assert (cell.value, cell.data_type) == (f"'{title}", "s")
    assert json.loads(export(editor_client, Project, "2").content)[0]["title"] == title  # JSON as recorded


def test_admin_import_takes_the_apostrophe_of_an_export_off_again():
    assert TextWidget().clean("'=1+1") == "=1+1"
    assert TextWidget().clean("'quoted'") == "'quoted'"


def test_exports_give_names_beside_codes(client):
    kazakhstan, kyrgyzstan = make_country("KZ", name="Kazakhstan"), make_country("KG", name="Kyrgyzstan")
    programme = make_programme(name="European Instrument for Democracy and Human Rights", slug="eidhr")
    programme.countries.set([kyrgyzstan, kazakhstan])
    topic = make_topic(name="Freedom of expression", slug="freedom-of-expression")
    make_project(programme=programme, countries=[kyrgyzstan, kazakhstan], topics=[topic])
    [project] = json.loads(content(client.get("/en/funding/projects/export.json")))
    assert (project["programme"], project["programme_name"]) == ("eidhr", programme.name)
    assert (project["countries"], project["country_names"]) == ("KZ;KG", "Kazakhstan;Kyrgyzstan")
    assert (project["topics"], project["topic_names"]) == ("freedom-of-expression", "Freedom of expression")
    [row] = csv.DictReader(io.StringIO(content(client.get("/en/funding/programmes/export.csv")).removeprefix("\ufeff")))
    assert (row["countries"], row["country_names"]) == ("KZ;KG", "Kazakhstan;Kyrgyzstan")


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("", "projects.csv"),
        ("?country=kz&programme=EIDHR", "projects-KZ-eidhr.csv"),
        ("?country=KZ,kg&year_from=2010&ordering=-amount&junk=1", "projects-KZ-KG-year_from-2010.csv"),
        ("?status=ongoing&q=human+rights", "projects-ongoing-q-human-rights.csv"),
        ("?country=&q=", "projects.csv"),
    ],
)
def test_file_name_says_what_was_filtered(client, query, name):
    make_country("KZ"), make_country("KG"), make_programme(slug="eidhr")
    response = client.get(f"/en/funding/projects/export.csv{query}")
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_file_name_of_a_russian_search_is_sent_encoded(client):
    response = client.get("/en/funding/projects/export.json?q=права человека")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("projects-q-права-человека.json")


def test_xlsx_never_repeats_a_packages_total_nor_shows_a_draft(client):
    call = make_call(total_amount_eur=Decimal("670000"))
    for _ in range(3):
        make_project(call=call, programme=call.programme)
    make_project(title="Draft project", publication_status=DRAFT)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/en/funding/projects/export.xlsx").content)).active
    values = [value for row in sheet.iter_rows(values_only=True) for value in row]
    assert "Draft project" not in values
    assert not any("670000" in str(value) for value in values)  # summed once per project otherwise
    assert sheet.max_row == 4
