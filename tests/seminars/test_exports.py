"""Seminar exports: the same filters as the listing, streamed, never a draft."""

import csv
import io
import json

import openpyxl
import pytest

from tests.factories import DRAFT, make_country, make_records, make_round, make_seminar

pytestmark = pytest.mark.django_db


def content(response):
    return b"".join(response.streaming_content).decode()


def test_json_export_lists_countries_and_dates(client):
    make_seminar(title="Almaty seminar", countries=[make_country("KZ")])
    rows = json.loads(content(client.get("/en/seminars/export.json?country=KZ")))
    assert rows[0]["title"] == "Almaty seminar"
    assert rows[0]["countries"] == "KZ"
    assert rows[0]["held"] == "2009-06"


def test_csv_export_leaves_out_drafts_and_draft_rounds(client):
    make_seminar(title="Draft seminar", publication_status=DRAFT)
    make_seminar(title="Public seminar", dialogue_round=make_round(publication_status=DRAFT))
    rows = list(csv.DictReader(io.StringIO(content(client.get("/en/seminars/export.csv")))))
    assert [row["title"] for row in rows] == ["Public seminar"]
    assert rows[0]["dialogue_round"] == ""


@pytest.mark.parametrize("rows", [1, 60])
def test_export_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    # one batch of seminars with their round (1), prefetched countries, topics, sources (3)
    with django_assert_max_num_queries(4):
        content(client.get("/en/seminars/export.csv"))


def xlsx_records(response):
    header, *rows = openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_xlsx_keeps_a_numbers_qualifier_and_leaves_out_drafts(client):
    make_seminar(
        title="Public seminar", participating_organisations=70, participating_organisations_qualifier="more_than"
    )
    make_seminar(title="Draft seminar", publication_status=DRAFT)
    [record] = xlsx_records(client.get("/en/seminars/export.xlsx"))
    assert record["title"] == "Public seminar"
    assert (record["participating_organisations"], record["participating_organisations_qualifier"]) == (
        70,
        "more_than",
    )
