"""The sources' pages: every cited page, and what cites it, published records only."""

import re

import pytest

from tests.factories import DRAFT, make_round, make_source

pytestmark = pytest.mark.django_db


def test_a_source_page_lists_what_cites_it_and_hides_drafts(client):
    source = make_source(title="A readout", url="https://example.org/readout")
    make_round(sources=[source], summary="")
    make_round(sources=[source], publication_status=DRAFT)
    html = client.get(source.get_absolute_url()).content.decode()
    assert 'href="https://example.org/readout"' in html
    assert len(re.findall(r'href="/en/dialogues/\d+/"', html)) == 1  # the published round only
    assert client.get(make_source(publication_status=DRAFT).get_absolute_url()).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_a_source_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    source = make_source()
    for _ in range(rows):
        make_round(sources=[source])
    # the source (1), one query per kind of citing record (10), its concern entries (1)
    with django_assert_max_num_queries(12):
        assert client.get(source.get_absolute_url()).status_code == 200


def test_the_sources_listing_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        make_source()
    # the filter form, the count and the page of sources (<= 4 with the session-free request)
    with django_assert_max_num_queries(4):
        assert client.get("/en/sources/").status_code == 200
