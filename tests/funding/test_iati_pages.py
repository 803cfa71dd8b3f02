"""An imported project on its public page and in the API: the IATI identifier with its d-portal
link, the amounts in the currencies stated, and why an amount is not in EUR."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from funding.models import Project
from tests.factories import make_country, make_project

MAIN = Path(__file__).parent / "iati_files" / "activities-2.03.xml"


@pytest.fixture
def imported(db):
    for code in ("KZ", "KG", "TJ", "TM", "UZ"):
        make_country(code)
    call_command("import_iati", str(MAIN), "--publish", stdout=StringIO(), stderr=StringIO())


def page(identifier, client):
    return client.get(Project.objects.get(iati_identifier=identifier).get_absolute_url()).content.decode()


def test_the_page_links_the_activity_on_d_portal_and_shows_the_stated_amounts(imported, client):
    content = page("XX-TEST-1", client)
    assert 'href="https://d-portal.org/ctrack.html#view=act&amp;aid=XX-TEST-1"' in content
    assert "250,000 EUR" in content and "120,000.50 EUR" in content  # a commitment, a revised budget
    assert "€300,000.25" in content  # the EU contribution: the commitments
    assert "no exchange rate is loaded" not in content


def test_the_page_says_why_an_amount_in_another_currency_is_not_in_eur(imported, client):
    content = page("XX-TEST-USD", client)
    assert "1,000 USD" in content and "no exchange rate is loaded" in content


def test_an_editorial_page_has_no_iati_section(db, client):
    content = client.get(make_project().get_absolute_url()).content.decode()
    assert "As published in IATI" not in content


def test_the_api_gives_the_identifier_the_link_and_the_stated_money(imported, api):
    project = Project.objects.get(iati_identifier="XX-TEST-USD")
    data = api.get(f"/api/v1/projects/{project.pk}/").json()
    assert (data["source_kind"], data["iati_identifier"]) == ("iati", "XX-TEST-USD")
    assert data["d_portal_url"] == "https://d-portal.org/ctrack.html#view=act&aid=XX-TEST-USD"
    assert data["eu_contribution_eur"] is None
    assert data["iati_transactions"] == [
        {
            "transaction_type": 2,
            "value": "1000.00",
            "currency": "USD",
            "value_date": "2025-03-10",
            "transaction_date": "2025-03-10",
        }
    ]
    assert data["iati_budgets"] == []


def test_an_editorial_project_in_the_api_has_no_iati_values(db, api, django_assert_max_num_queries):
    project = make_project()
    with django_assert_max_num_queries(6):  # as before the IATI fields: none of them is a query
        data = api.get(f"/api/v1/projects/{project.pk}/").json()
    assert (data["source_kind"], data["iati_identifier"], data["d_portal_url"]) == ("editorial", None, None)
    assert data["iati_transactions"] == data["iati_budgets"] == []


def test_the_iati_section_speaks_russian_on_russian_pages(imported, client):
    project = Project.objects.get(iati_identifier="XX-TEST-USD")
    with translation.override("ru"):
        url = project.get_absolute_url()
    assert url.startswith("/ru/")
    content = client.get(url).content.decode()
    assert "Как опубликовано в IATI" in content and "обязательство" in content
