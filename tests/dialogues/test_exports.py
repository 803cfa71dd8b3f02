"""Dialogue-round exports: CSV and JSON, streamed, with the listing's filters, never a draft."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest

from dialogues import export_xlsx
from tests.factories import (
    DRAFT,
    make_country,
    make_programme,
    make_project,
    make_records,
    make_round,
    make_seminar,
    make_topic,
)

pytestmark = pytest.mark.django_db


def content(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_csv_export_has_a_header_and_one_row_per_round(client):
    make_round(country=make_country("KZ"), summary="First")
    response = client.get("/en/dialogues/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="dialogue-rounds.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(content(response))))
    assert len(rows) == 1
    assert rows[0]["country"] == "KZ"
    assert rows[0]["held"] == "2009-10"
    assert rows[0]["url"].startswith("http://testserver/en/dialogues/")


def test_json_export_applies_the_same_filters_as_the_page(client):
    make_round(country=make_country("KZ"))
    make_round(country=make_country("KG"))
    rows = json.loads(content(client.get("/en/dialogues/export.json?country=kg")))
    assert [row["country"] for row in rows] == ["KG"]


def test_unknown_values_are_null_in_json_and_empty_in_csv(client):
    make_round(place="")
    assert json.loads(content(client.get("/en/dialogues/export.json")))[0]["place"] is None
    assert list(csv.DictReader(io.StringIO(content(client.get("/en/dialogues/export.csv")))))[0]["place"] == ""


def test_drafts_are_never_exported(client):
    make_round(summary="public one")
    make_round(summary="draft one", publication_status=DRAFT)
    assert "draft one" not in content(client.get("/en/dialogues/export.csv"))
    assert len(json.loads(content(client.get("/en/dialogues/export.json")))) == 1


@pytest.mark.parametrize("query", ["year_from=abc", "country=XX", "q=" + "x" * 5000])
def test_invalid_filters_give_a_400_with_the_errors(client, query):
    response = client.get(f"/en/dialogues/export.json?{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "errors" in response.json()


def test_unknown_format_is_404(client):
    assert client.get("/en/dialogues/export.xml").status_code == 404


@pytest.mark.parametrize("rows", [1, 60])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows, fmt):
    make_records(rows)
    # one batch of up to 500 rounds with their country (1), prefetched topics (1) and sources (1)
    with django_assert_max_num_queries(3):
        content(client.get(f"/en/dialogues/export.{fmt}"))


# --- Every public listing export (dialogues/exports.py serves them all) ------------------------------

LISTING_EXPORTS = [
    "/en/dialogues/export",
    "/en/seminars/export",
    "/en/funding/projects/export",
    "/en/funding/programmes/export",
]


@pytest.fixture
def euro_records():
    """One published record of each exported kind, with "€" and "–" in its texts."""
    kazakhstan = make_country("KZ", name="Kazakhstan")
    programme = make_programme(name="EIDHR – €1.2 million", summary="€ – €")
    make_project(programme=programme, countries=[kazakhstan], title="Media – €300,000", summary="€ – €")
    make_seminar(countries=[kazakhstan], title="Seminar – €", summary="€ – €")
    make_round(country=kazakhstan, summary="€ – €")


@pytest.mark.parametrize("url", LISTING_EXPORTS)
def test_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8(client, euro_records, url):
    body = b"".join(client.get(f"{url}.csv").streaming_content)
    assert body.startswith(b"\xef\xbb\xbfid,")
    assert "€ – €" in body.decode("utf-8-sig")


FORMULAE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def formula_records():
    """Published records whose texts start with what a spreadsheet reads as a formula."""
    kazakhstan = make_country("KZ", name="Kazakhstan")
    for text in FORMULAE:
        programme = make_programme(name=text, summary=text)
        make_project(programme=programme, countries=[kazakhstan], title=text, summary=text)
        make_seminar(countries=[kazakhstan], title=text, summary=text)
        make_round(country=kazakhstan, summary=text)


@pytest.mark.parametrize("url", LISTING_EXPORTS)
def test_csv_texts_that_start_a_formula_get_an_apostrophe(client, formula_records, url):
    body = b"".join(client.get(f"{url}.csv").streaming_content).decode("utf-8-sig")
    summaries = [row["summary"] for row in csv.DictReader(io.StringIO(body, newline=""))]
    assert sorted(summaries) == sorted(f"'{text}" for text in FORMULAE)


@pytest.mark.parametrize("url", LISTING_EXPORTS)
def test_json_texts_stay_as_recorded(client, formula_records, url):
    rows = json.loads(content(client.get(f"{url}.json")))
    assert sorted(row["summary"] for row in rows) == sorted(FORMULAE)


def test_partial_dates_are_text_with_their_precision_beside_them(client):
    make_round(held_on=datetime.date(2010, 1, 1), held_on_precision="month", summary="month")
    make_round(held_on=datetime.date(2011, 1, 1), held_on_precision="year", summary="year")
    make_round(held_on=datetime.date(2012, 3, 4), held_on_precision="day", summary="day")
    rows = json.loads(content(client.get("/en/dialogues/export.json")))
    assert sorted((row["held"], row["held_precision"]) for row in rows) == [
        ("2010-01", "month"),
        ("2011", "year"),
        ("2012-03-04", "day"),
    ]
    body = content(client.get("/en/dialogues/export.csv")).removeprefix("\ufeff")
    header = next(csv.reader(io.StringIO(body)))
    assert header.index("held_precision") == header.index("held") + 1
    assert {(row["held"], row["held_precision"]) for row in csv.DictReader(io.StringIO(body))} == {
        ("2010-01", "month"),
        ("2011", "year"),
        ("2012-03-04", "day"),
    }


def test_an_undated_record_has_no_precision(client):
    make_seminar(held_on=None, held_on_precision="")
    [row] = json.loads(content(client.get("/en/seminars/export.json")))
    assert (row["held"], row["held_precision"]) == (None, None)


@pytest.mark.parametrize("url", LISTING_EXPORTS)
def test_timestamps_are_iso_8601(client, euro_records, url):
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$")
    body = content(client.get(f"{url}.csv")).removeprefix("\ufeff")
    assert all(iso.match(row["updated_at"]) for row in csv.DictReader(io.StringIO(body)))
    assert all(iso.match(row["updated_at"]) for row in json.loads(content(client.get(f"{url}.json"))))


def test_round_exports_give_topic_names_beside_slugs(client):
    topics = [make_topic(name="Torture", slug="torture"), make_topic(name="Freedom of expression", slug="foe")]
    make_round(country=make_country("KZ", name="Kazakhstan"), topics=topics)
    [row] = json.loads(content(client.get("/en/dialogues/export.json")))
    assert (row["country"], row["country_name"]) == ("KZ", "Kazakhstan")
    assert (row["topics"], row["topic_names"]) == ("foe;torture", "Freedom of expression;Torture")


# --- XLSX beside CSV and JSON --------------------------------------------------------------------


def comparable(value):
    """A cell's value as the JSON export gives it: an empty text is an empty cell, an amount a number."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).normalize()
    except ArithmeticError:
        return value


def workbook_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows())


@pytest.mark.parametrize("url", LISTING_EXPORTS)
def test_xlsx_export_has_the_rows_and_columns_of_the_json_export(client, euro_records, url):
    response = client.get(f"{url}.xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, *rows = workbook_rows(response)
    records = json.loads(content(client.get(f"{url}.json")))
    assert [cell.value for cell in header] == list(records[0])
    assert [[comparable(cell.value) for cell in row] for row in rows] == [
        [comparable(value) for value in record.values()] for record in records
    ]


def test_xlsx_writes_partial_dates_as_text_and_amounts_as_numbers(client):
    make_project(
        title="=1+1",
        starts_on=datetime.date(2010, 1, 1),
        starts_on_precision="month",
        eu_contribution_eur=Decimal("670000.50"),
    )
    header, row = workbook_rows(client.get("/en/funding/projects/export.xlsx"))
    cells = {name.value: cell for name, cell in zip(header, row, strict=True)}
    assert (cells["starts"].value, cells["starts"].data_type, cells["starts"].number_format) == ("2010-01", "s", "@")
    assert (cells["starts_precision"].value, cells["starts_precision"].data_type) == ("month", "s")
    assert (cells["eu_contribution_eur"].value, cells["eu_contribution_eur"].data_type) == (670000.5, "n")
    assert (cells["title"].value, cells["title"].data_type) == ("'=1+1", "s")  # no live formula


def test_xlsx_export_applies_the_filters_and_names_them(client):
    make_round(country=make_country("KZ"), summary="in Kazakhstan")
    make_round(country=make_country("KG"), summary="in Kyrgyzstan")
    response = client.get("/en/dialogues/export.xlsx?country=kg")
    assert response["Content-Disposition"] == 'attachment; filename="dialogue-rounds-KG.xlsx"'
    header, *rows = workbook_rows(response)
    summary = [cell.value for cell in header].index("summary")
    assert [row[summary].value for row in rows] == ["in Kyrgyzstan"]


def test_xlsx_past_its_row_cap_is_refused_with_a_pointer_to_the_csv(client, monkeypatch):
    monkeypatch.setattr(export_xlsx, "XLSX_MAX_ROWS", 2)
    for _ in range(3):
        make_round()
    response = client.get("/en/dialogues/export.xlsx")
    assert response.status_code == 400
    assert "CSV" in response.json()["errors"]["__all__"][0]["message"]
    assert client.get("/en/dialogues/export.csv").status_code == 200


def test_listing_pages_link_to_the_xlsx_export_with_their_filters(client):
    make_round()
    links = dict(client.get("/en/dialogues/?country=KZ&page=1").context["export_links"])
    assert links["XLSX"] == "/en/dialogues/export.xlsx?country=KZ"
    assert b"/dialogues/export.xlsx" in client.get("/en/dialogues/").content


@pytest.mark.parametrize("rows", [1, 60])
def test_xlsx_export_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    # the rows counted up to the cap (1), then as the JSON export: one batch of rounds (1), their
    # topics (1) and sources (1)
    with django_assert_max_num_queries(4):
        assert client.get("/en/dialogues/export.xlsx").status_code == 200
