"""The country and matrix figures say which funding data they count: how many of the projects
counted are IATI activities, beside the editorial ones; drafts counted nowhere."""

import csv
import io
from decimal import Decimal

import pytest

from funding.aggregates import known_contribution
from funding.models import ProjectSourceKind
from tests.factories import DRAFT, make_country, make_project, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_kinds():
    country = make_country("KZ", name="Kazakhstan", slug="kazakhstan")
    topic = make_topic(name="Invented topic", slug="invented-topic")
    make_project(title="Editorial (invented)", countries=[country], topics=[topic], eu_contribution_eur=Decimal(100))
    iati = {"source_kind": ProjectSourceKind.IATI, "countries": [country], "topics": [topic]}
    make_project(title="IATI (invented)", iati_identifier="XX-TEST-F1", eu_contribution_eur=Decimal(200), **iati)
    make_project(title="IATI, amount unknown", iati_identifier="XX-TEST-F2", **iati)
    make_project(
        title="IATI draft",
        iati_identifier="XX-TEST-F3",
        eu_contribution_eur=Decimal(400),
        publication_status=DRAFT,
        **iati,
    )
    return country, topic


def test_the_country_figure_counts_each_kind(both_kinds):
    country, _topic = both_kinds
    figure = known_contribution(country=country)
    assert figure.total == Decimal(300)  # the draft's 400 is not counted
    assert (figure.projects_counted, figure.projects_counted_iati, figure.projects_amount_unknown) == (2, 1, 1)


def test_the_country_page_says_what_it_counts_and_links_each_kind(both_kinds, client):
    content = client.get("/en/countries/kazakhstan/").content.decode()
    assert "2 project amounts (1 of them from an IATI activity file)" in content
    assert "?country=KZ&amp;source_kind=iati" in content and "?country=KZ&amp;source_kind=editorial" in content
    russian = client.get("/ru/countries/kazakhstan/").content.decode()
    assert "из файла мероприятий IATI" in russian


def test_the_api_summaries_count_the_iati_projects(both_kinds, client):
    summary = client.get("/api/v1/countries/KZ/summary/").json()["known_eu_contribution"]
    assert (summary["projects_counted"], summary["projects_counted_from_iati"]) == (2, 1)
    overall = client.get("/api/v1/stats/").json()["known_eu_contribution"]
    assert overall["projects_counted_from_iati"] == 1


def test_the_matrix_cell_says_how_many_of_its_projects_are_iati_activities(both_kinds, client):
    page = client.get("/en/matrix/").content.decode()
    assert "(2 from IATI)" in page  # the cell's published IATI projects, the unknown amount's too
    assert "imported from IATI activity files" in page
    response = client.get("/en/matrix/export.csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    (row,) = [r for r in csv.DictReader(io.StringIO(content.decode().removeprefix("\ufeff"))) if r["projects"] != "0"]
    assert (row["projects"], row["projects_from_iati"], row["known_eu_contribution_eur"]) == ("3", "2", "300.00")
    cells = client.get("/api/v1/matrix/?measure=funding").json()["cells"]
    (cell,) = [c for c in cells if c["projects"]]
    assert (cell["projects_from_iati"], cell["value"]) == (2, "300.00")
