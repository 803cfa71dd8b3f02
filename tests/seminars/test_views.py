"""The public pages of seminars: listing, detail, drafts and related drafts, bad input."""

import datetime

import pytest

from tests.factories import DRAFT, make_country, make_organisation, make_records, make_round, make_seminar

pytestmark = pytest.mark.django_db


def test_listing_and_year_filter(client):
    make_seminar(title="Seminar in 2009", held_on=datetime.date(2009, 6, 1))
    make_seminar(title="Forum in 2019", held_on=datetime.date(2019, 1, 1), held_on_precision="year")
    response = client.get("/en/seminars/?year_from=2009&year_to=2009")
    assert response.status_code == 200
    assert b"Seminar in 2009" in response.content
    assert b"Forum in 2019" not in response.content


def test_undated_seminar_shows_the_sources_words(client):
    make_seminar(title="Almaty seminar", held_on=None, held_on_precision="", date_note="opened on a Wednesday")
    assert b"opened on a Wednesday" in client.get("/en/seminars/").content


def test_draft_seminar_is_hidden_and_404(client):
    draft = make_seminar(title="Draft seminar", publication_status=DRAFT)
    assert b"Draft seminar" not in client.get("/en/seminars/").content
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_detail_hides_draft_related_records(client):
    draft_round = make_round(publication_status=DRAFT, summary="hidden round")
    draft_country = make_country(name="Draftland", publication_status=DRAFT)
    seminar = make_seminar(
        countries=[make_country(name="Publicland"), draft_country],
        dialogue_round=draft_round,
    )
    seminar.organisers.set([make_organisation(name="Hidden NGO", publication_status=DRAFT)])
    response = client.get(seminar.get_absolute_url())
    assert b"Publicland" in response.content
    assert b"Draftland" not in response.content
    assert b"Hidden NGO" not in response.content
    assert draft_round.get_absolute_url().encode() not in response.content


def test_detail_shows_recommendations_and_sources(client):
    seminar = make_seminar()
    seminar.recommendations.create(text="Release the detained journalists", position=1)
    response = client.get(seminar.get_absolute_url())
    assert b"Release the detained journalists" in response.content
    assert b"Sources" in response.content


@pytest.mark.parametrize(
    "query", ["kind=bogus", "year_from=20x9", "country=ZZ,KZ", "topic=%22%3E%3Cb%3E", "page=0", "q=" + "é" * 3000]
)
def test_bad_input_never_gives_a_server_error(client, query):
    make_seminar()
    assert client.get(f"/en/seminars/?{query}").status_code == 200


@pytest.mark.parametrize("rows", [1, 55])
def test_listing_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    # country options (1), topic options (1), two option counts (2), count (1), the page of
    # seminars with their dialogue round and its country (1), prefetched countries, topics and
    # sources (3)
    with django_assert_max_num_queries(9):
        assert client.get("/en/seminars/").status_code == 200


@pytest.mark.parametrize("rows", [1, 55])
def test_detail_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    seminar = make_seminar(countries=[make_country() for _ in range(3)])
    for position in range(1, rows + 1):
        seminar.recommendations.create(text=f"Recommendation {position}", position=position)
    # the page's record (1), then for its content the seminar with its round (1), countries,
    # topics, sources, organisers, recommendations, citations (6); served again: the record and the cache
    with django_assert_max_num_queries(8):
        assert client.get(seminar.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(seminar.get_absolute_url()).status_code == 200
