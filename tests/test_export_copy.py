"""CSV exports on PostgreSQL: one COPY streamed as it comes, the same rows as the Python path.

The Python path (values_list in batches, dialogues/exports.py) stays the reference: it serves
SQLite and the JSON format, so every CSV export must parse to exactly its rows.
"""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from psycopg.pq import TransactionStatus

from dialogues.exports import ExportView, csv_lines
from funding.models import Project
from tests.factories import (
    DRAFT,
    make_call,
    make_country,
    make_programme,
    make_project,
    make_records,
    make_round,
    make_seminar,
    make_source,
    make_topic,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EXPORTS = [
    "/en/funding/projects/export.csv",
    "/en/funding/programmes/export.csv",
    "/en/seminars/export.csv",
    "/en/dialogues/export.csv",
]
FILTERED_EXPORTS = [
    "/en/funding/projects/export.csv?country=KZ&year_from=2010",
    "/en/funding/projects/export.csv?q=human+rights",
    "/en/seminars/export.csv?country=KG",
    "/en/dialogues/export.csv?country=KZ&year_to=2015",
]
AWKWARD = 'Comma, "quote", line\nbreak\r\nand «Қазақстан» — ёлка'


@pytest.fixture(autouse=True)
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only")


def export_view(url):
    """The export view of `url`, set up for a GET as the URLconf would."""
    match = resolve(urlsplit(url).path)
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(RequestFactory().get(url), **match.kwargs)
    return view


def python_path_csv(url):
    view = export_view(url)
    queryset = view.get_filterset(view.get_filterset_class()).qs
    return "".join(csv_lines(view.headers(), view.rows(queryset, "http://testserver")))


def copied_csv(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        content = b"".join(response.streaming_content).decode()
    assert content.startswith("\ufeff")  # the byte-order mark, for Excel; the Python path writes none
    content = content.removeprefix("\ufeff")
    assert [query["sql"] for query in queries if query["sql"].startswith("COPY (SELECT")], "the COPY path was not taken"
    return content


def parsed(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_same_rows(client, url):
    copied, python = copied_csv(client, url), python_path_csv(url)
    assert parsed(copied) == parsed(python)
    return copied, python


def test_every_export_view_is_compared():
    assert {export_view(url).__class__ for url in EXPORTS} == set(ExportView.__subclasses__())


@pytest.mark.parametrize("url", EXPORTS + FILTERED_EXPORTS)
def test_copy_gives_the_python_paths_rows_on_the_real_data(client, real_data_shared, url):
    copied, python = assert_same_rows(client, url)
    assert copied.count("\n") > 1
    assert "\r" not in copied + python  # lines end with "\n" alone on both paths, as COPY writes them


@pytest.fixture
def awkward_records():
    """Records whose values test CSV quoting, NULLs, partial dates and visibility of relations."""
    kazakhstan = make_country("KZ", name="Kazakhstan, Республика")
    kyrgyzstan = make_country("KG", name='Kyrgyz "Republic"')
    hidden_country = make_country("ZZ", name="Aaa draft country", publication_status=DRAFT)
    topics = [make_topic(name=name, slug=slug) for name, slug in [("Права человека", "rights"), ("Ab, c", "ab-c")]]
    hidden_topic = make_topic(name="Aaa draft topic", slug="draft-topic", publication_status=DRAFT)
    sources = [make_source(title=AWKWARD), make_source(title="\\."), make_source(title=" spaced ")]
    hidden_source = make_source(title="Draft source", publication_status=DRAFT)
    hidden_programme = make_programme(name="Draft programme", slug="draft-programme", publication_status=DRAFT)
    programme = make_programme(
        name=AWKWARD,
        acronym="",
        launched_on=datetime.date(2007, 6, 1),
        launched_on_precision="month",
        envelope_eur=Decimal("670000.00"),
        summary="",
    )
    programme.countries.set([kazakhstan, hidden_country, kyrgyzstan])
    call = make_call(programme=programme, title=AWKWARD, total_amount_eur=Decimal("1234.5"))
    hidden_call = make_call(programme=programme, title="Draft call", publication_status=DRAFT)
    dates = [
        (datetime.date(2011, 1, 1), "year"),
        (datetime.date(2011, 6, 1), "month"),
        (datetime.date(2011, 6, 15), "day"),
        (None, ""),
    ]
    for n, (starts_on, precision) in enumerate(dates):
        make_project(
            title=f"{AWKWARD} {n}",
            programme=(programme, hidden_programme)[n % 2],
            call=(call, hidden_call, None)[n % 3],
            countries=[kyrgyzstan, hidden_country, kazakhstan],
            topics=[*topics, hidden_topic],
            sources=[*sources, hidden_source],
            eu_contribution_eur=(Decimal("670000.00"), None)[n % 2],
            starts_on=starts_on,
            starts_on_precision=precision,
            status=("", "ongoing")[n % 2],
            summary=("", AWKWARD, '""', "\\.")[n],
        )
    make_project(title="Draft project", publication_status=DRAFT, countries=[kazakhstan])
    # related records that are all drafts, or none: blank codes (an array of drafts' ids, no links)
    make_project(title=f"{AWKWARD} alone", programme=programme, countries=[hidden_country], topics=[], sources=[])
    # auto_now stores microseconds; a timestamp without them is written without a fraction
    Project.objects.filter(title=f"{AWKWARD} 0").update(
        updated_at=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    hidden_round = make_round(country=kazakhstan, publication_status=DRAFT)
    for n, (held_on, precision) in enumerate(dates[:3]):
        make_round(
            country=(kazakhstan, kyrgyzstan)[n % 2],
            held_on=held_on,
            held_on_precision=precision,
            place=("", AWKWARD)[n % 2],
            sequence_number=(None, n)[n % 2],
            topics=[*topics, hidden_topic],
            sources=[*sources, hidden_source],
            summary=AWKWARD,
        )
    for n, (held_on, precision) in enumerate(dates):
        make_seminar(
            title=f"{AWKWARD} {n}",
            countries=[kazakhstan, hidden_country, kyrgyzstan],
            topics=[*topics, hidden_topic],
            sources=[*sources, hidden_source],
            held_on=held_on,
            held_on_precision=precision,
            city=("", "Бишкек")[n % 2],
            date_note=("", AWKWARD)[n % 2],
            dialogue_round=(hidden_round, None)[n % 2],
            participating_organisations=(None, 0, 12, None)[n],
        )


@pytest.mark.parametrize(
    "url", EXPORTS + ["/en/funding/projects/export.csv?country=KG", "/en/seminars/export.csv?q=ёлка"]
)
def test_copy_gives_the_python_paths_rows_for_awkward_values(client, awkward_records, url):
    copied, _ = assert_same_rows(client, url)
    assert copied.count("\n") > 1


def test_copy_writes_unknown_values_blank_and_dates_at_their_precision(client, awkward_records):
    rows = list(csv.DictReader(io.StringIO(copied_csv(client, "/en/funding/projects/export.csv"), newline="")))
    by_title = {row["title"]: row for row in rows}
    assert [by_title[f"{AWKWARD} {n}"]["starts"] for n in range(4)] == ["2011", "2011-06", "2011-06-15", ""]
    assert [by_title[f"{AWKWARD} {n}"]["starts_precision"] for n in range(4)] == ["year", "month", "day", ""]
    first = by_title[f"{AWKWARD} 0"]
    assert first["eu_contribution_eur"] == "670000.00"
    assert first["call"] and first["call_id"] and "call_total_eur" not in first  # the call, never its total
    assert first["updated_at"] == "2024-01-02T03:04:05+00:00"  # ISO 8601
    assert first["countries"] == "KZ;KG"  # published only, by name
    assert first["country_names"] == 'Kazakhstan, Республика;Kyrgyz "Republic"'
    assert first["programme_name"] == AWKWARD
    assert first["url"] == f"http://testserver/en/funding/projects/{first['id']}/"
    alone = by_title[f"{AWKWARD} alone"]
    assert [alone[codes] for codes in ("countries", "topics", "sources")] == ["", "", ""]


def test_copy_never_shows_drafts_or_draft_relations(client, awkward_records):
    content = copied_csv(client, "/en/funding/projects/export.csv") + copied_csv(client, "/en/seminars/export.csv")
    for hidden in ["Draft project", "ZZ", "draft-topic", "Draft source", "draft-programme", "Draft call"]:
        assert hidden not in content
    rows = parsed(copied_csv(client, "/en/seminars/export.csv"))
    dialogue_round = rows[0].index("dialogue_round")
    assert {row[dialogue_round] for row in rows[1:]} == {""}  # every round is a draft or missing


@pytest.mark.parametrize("rows", [1, 60])
@pytest.mark.parametrize("url", EXPORTS)
def test_copy_export_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows, url):
    make_records(rows)
    for _ in range(rows):
        make_programme()
    # SET LOCAL jit = off, then the one COPY: no query per row or per batch
    with django_assert_max_num_queries(2) as captured:
        copied = b"".join(client.get(url).streaming_content)
    assert [query["sql"].split(" (")[0] for query in captured] == ["SET LOCAL jit = off", "COPY"]
    assert copied.count(b"\n") > 1


def test_bad_filter_is_a_400_before_any_copy(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/funding/projects/export.csv?year_from=abc")
    assert response.status_code == 400
    assert "year_from" in response.json()["errors"]
    assert not [query for query in queries if query["sql"].startswith("COPY")]


def test_csv_response_keeps_its_type_and_file_name(client):
    make_project()
    response = client.get("/en/funding/projects/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="projects.csv"'
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfid,title,programme,")


def long_projects():
    """Enough CSV for several blocks of the response (64 KB each)."""
    programme, country, source = make_programme(), make_country(), make_source()
    for _ in range(40):
        make_project(programme=programme, countries=[country], sources=[source], summary="x" * 5000)


def stop_mid_copy():
    """Read the header and the first block, then go away as a client would."""
    view = export_view("/en/funding/projects/export.csv")
    chunks = view.csv(view.get_filterset(view.get_filterset_class()).qs, "http://testserver")
    assert next(chunks).startswith("id,")
    assert len(next(chunks)) >= 64 * 1024
    assert connection.connection.info.transaction_status == TransactionStatus.ACTIVE  # mid-COPY
    chunks.close()


def test_a_client_leaving_mid_copy_inside_a_transaction_leaves_it_to_be_rolled_back():
    long_projects()
    stop_mid_copy()
    assert connection.connection.info.transaction_status != TransactionStatus.ACTIVE  # no longer in the COPY
    assert connection.needs_rollback


@pytest.mark.django_db(transaction=True)
def test_a_client_leaving_mid_copy_leaves_the_connection_usable_in_autocommit():
    long_projects()
    stop_mid_copy()
    assert connection.connection.info.transaction_status == TransactionStatus.IDLE
    assert Project.objects.count() == 40


@pytest.mark.parametrize("url", EXPORTS)
def test_copy_neutralises_formulae_as_the_python_path_does(client, url):
    formulae = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "'=kept", "a=1"]
    country = make_country("KZ")
    for text in formulae:
        source = make_source(title=text)
        programme = make_programme(name=text, summary=text, sources=[source])
        make_project(programme=programme, countries=[country], title=text, summary=text, sources=[source])
        make_seminar(countries=[country], title=text, summary=text, sources=[source])
        make_round(country=country, summary=text, sources=[source])
    copied, _ = assert_same_rows(client, url)
    summaries = [row["summary"] for row in csv.DictReader(io.StringIO(copied, newline=""))]
    assert sorted(summaries) == sorted(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", "'=kept", "a=1"])
