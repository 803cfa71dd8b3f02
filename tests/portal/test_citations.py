"""Every stated value carries its citation, wherever it is shown: a record's own page, another
record's page that summarises it (a programme's calls), and the API's detail of every kind of record.
A citation of a draft source is never shown."""

import datetime
from decimal import Decimal

import pytest

from dialogues.models import Citation
from tests.factories import (
    DRAFT,
    make_call,
    make_country,
    make_programme,
    make_project,
    make_round,
    make_seminar,
    make_source,
)

pytestmark = pytest.mark.django_db


def cited(record, field, **fields):
    source = make_source(title=f"Page stating {field}", url=f"https://example.org/{field}")
    record.sources.add(source)
    Citation.objects.create(record=record, field=field, source=source, **fields)
    return source


def test_a_programme_page_footnotes_its_calls_values_with_links_to_their_sources(client):
    programme = make_programme()
    call = make_call(programme=programme, total_amount_eur=Decimal("1200000"), year=2009)
    total = cited(call, "total_amount_eur")
    year = cited(call, "year", basis="inferred", note="from the release's date")

    html = client.get(programme.get_absolute_url()).content.decode()

    # the programme's page has its own sources block: a call's marker links the source's own page
    assert f'href="{total.get_absolute_url()}" title="Stated by: {total.title}">[source]</a>' in html
    assert f'href="{year.get_absolute_url()}"' in html and "from the release&#x27;s date" in html
    assert 'href="#source-' not in html.split("<strong>" + call.title)[1].split("</dl>")[0]


def test_a_country_page_footnotes_when_its_dialogue_was_agreed(client):
    country = make_country(dialogue_agreed_on=datetime.date(2007, 1, 1), dialogue_agreed_on_precision="year")
    source = cited(country, "dialogue_agreed_on")

    html = client.get(country.get_absolute_url()).content.decode()

    assert f'title="Stated by: {source.title}"' in html


def test_a_citation_of_a_draft_source_is_not_shown(client):
    programme = make_programme()
    call = make_call(programme=programme, year=2009)
    source = cited(call, "year")
    source.publication_status = DRAFT
    source.save()

    html = client.get(programme.get_absolute_url()).content.decode()

    assert source.title not in html


DETAILS = {
    "dialogue-rounds": (lambda: make_round(), "held_on", lambda r: r.pk),
    "seminars": (lambda: make_seminar(), "held_on", lambda r: r.pk),
    "projects": (lambda: make_project(), "eu_contribution_eur", lambda r: r.pk),
    "calls": (lambda: make_call(), "total_amount_eur", lambda r: r.pk),
    "programmes": (lambda: make_programme(), "launched_on", lambda r: r.slug),
    "countries": (lambda: make_country(), "dialogue_started_on", lambda r: r.iso_code),
}


@pytest.mark.parametrize("resource", DETAILS)
def test_the_api_detail_of_every_record_carries_its_citations(api, resource):
    make, field, lookup = DETAILS[resource]
    record = make()
    source = cited(record, field, basis="inferred", note="an example note")
    hidden = cited(record, "summary")
    hidden.publication_status = DRAFT
    hidden.save()

    body = api.get(f"/api/v1/{resource}/{lookup(record)}/").json()

    assert [(c["field"], c["basis"], c["note"], c["source"]["page"]) for c in body["citations"]] == [
        (field, "inferred", "an example note", source.url)
    ]


def test_the_api_lists_carry_no_citations(api):
    call = make_call()
    cited(call, "year")
    assert "citations" not in api.get("/api/v1/calls/").json()["results"][0]
