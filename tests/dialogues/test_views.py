"""The public pages of dialogue rounds: listing (filters, sorting, pages), detail, drafts, bad input."""

import datetime

import pytest

from tests.factories import DRAFT, make_country, make_records, make_round, make_source, make_topic

pytestmark = pytest.mark.django_db


def test_listing_shows_published_rounds_with_country_and_date(client):
    make_round(country=make_country("KZ", name="Kazakhstan"), held_on=datetime.date(2008, 10, 1))
    response = client.get("/en/dialogues/")
    assert response.status_code == 200
    assert b"Kazakhstan" in response.content
    assert b"October 2008" in response.content


def test_draft_round_is_not_listed(client):
    make_round(summary="Visible round")
    make_round(summary="Secret draft", publication_status=DRAFT, held_on=datetime.date(2011, 1, 1))
    response = client.get("/en/dialogues/")
    assert b"2011" not in response.content
    assert response.context["paginator"].count == 1


def test_draft_round_is_404_for_the_public(client):
    draft = make_round(publication_status=DRAFT)
    assert client.get(f"/en/dialogues/{draft.pk}/").status_code == 404


def test_detail_shows_sources_and_last_update(client):
    source = make_source(title="Factsheet on dialogues", url="https://example.org/factsheet", document="seeds/1.txt")
    hidden = make_source(title="Unpublished memo", publication_status=DRAFT)
    round_ = make_round(sources=[source, hidden])
    response = client.get(round_.get_absolute_url())
    assert b"Factsheet on dialogues" in response.content
    assert b'href="https://example.org/factsheet"' in response.content
    assert b"seeds/1.txt" not in response.content  # a path on the server nobody can open
    assert f'href="/en/sources/{source.pk}/"'.encode() in response.content  # the source's own page
    assert b"Unpublished memo" not in response.content
    assert b"Last updated" in response.content


def test_filter_by_country_is_case_insensitive_and_accepts_several(client):
    kz, kg, tj = make_country("KZ"), make_country("KG"), make_country("TJ")
    for country in (kz, kg, tj):
        make_round(country=country)
    assert client.get("/en/dialogues/?country=kz").context["paginator"].count == 1
    assert client.get("/en/dialogues/?country=KZ,kg").context["paginator"].count == 2
    assert client.get("/en/dialogues/?country=KZ&country=TJ").context["paginator"].count == 2


def test_filter_by_topic_and_years(client):
    topic = make_topic(slug="media-freedom")
    make_round(topics=[topic], held_on=datetime.date(2009, 5, 1))
    make_round(held_on=datetime.date(2012, 5, 1))
    assert client.get("/en/dialogues/?topic=media-freedom").context["paginator"].count == 1
    assert client.get("/en/dialogues/?year_from=2010").context["paginator"].count == 1
    assert client.get("/en/dialogues/?year_from=2009&year_to=2009").context["paginator"].count == 1


def test_counts_per_option_keep_the_other_filters(client):
    kz, kg = make_country("KZ", name="Kazakhstan"), make_country("KG", name="Kyrgyzstan")
    make_round(country=kz)
    make_round(country=kz, held_on=datetime.date(2015, 1, 1))
    make_round(country=kg)
    response = client.get("/en/dialogues/?country=KZ")
    assert response.context["option_counts"]["country"] == {"KZ": 2, "KG": 1}
    assert b"Kazakhstan (2)" in response.content


def test_sorting_by_date(client):
    make_round(held_on=datetime.date(2005, 1, 1), held_on_precision="year")
    make_round(held_on=datetime.date(2015, 1, 1), held_on_precision="year")
    oldest_first = client.get("/en/dialogues/?ordering=date").context["object_list"]
    assert [r.held_on.year for r in oldest_first] == [2005, 2015]
    newest_first = client.get("/en/dialogues/?ordering=-date").context["object_list"]
    assert [r.held_on.year for r in newest_first] == [2015, 2005]


def test_clear_link_appears_only_when_filtered(client):
    make_round()
    assert b"Clear all filters" not in client.get("/en/dialogues/").content
    assert b"Clear all filters" in client.get("/en/dialogues/?year_from=2000").content


def test_export_links_keep_the_filters(client):
    make_round()
    response = client.get("/en/dialogues/?country=KZ&page=1")
    links = dict(response.context["export_links"])
    assert links["CSV"] == "/en/dialogues/export.csv?country=KZ"


def test_a_page_beyond_the_last_shows_the_last_page(client):
    country, _topic, _programme = make_records(25)
    response = client.get("/en/dialogues/?page=999999")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


@pytest.mark.parametrize(
    "query",
    [
        "year_from=abc",
        "year_to=-5",
        "year_from=99999999999999999999",
        "country=XX",
        "country=%3Cscript%3E",
        "topic=no-such-topic",
        "format=nonsense",
        "ordering=password",
        "q=" + "a" * 5000,
        "q=%27%3B+DROP+TABLE+dialogues_dialogueround%3B--",
        "q=%00",
        "page=-1",
        "page=abc",
        "page=99999999999999999999999",
    ],
)
def test_bad_input_never_gives_a_server_error(client, query):
    make_round()
    response = client.get(f"/en/dialogues/?{query}")
    assert response.status_code == 200


def test_invalid_filter_shows_the_error_and_no_rows(client):
    make_round()
    response = client.get("/en/dialogues/?year_from=abc")
    assert response.context["paginator"].count == 0
    assert b"Some filters could not be understood" in response.content
    assert b"errorlist" in response.content


@pytest.mark.parametrize(
    "path", ["/en/dialogues/999999/", "/en/dialogues/99999999999999999999999/", "/en/dialogues/abc/"]
)
def test_unknown_round_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("rows", [1, 55])
def test_listing_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    # session-free anonymous request; queries: country options (1), topic options (1), the two
    # option counts (2), count (1), the page of rounds with their country (1), prefetched topics (1)
    # and sources (1)
    with django_assert_max_num_queries(8):
        assert client.get("/en/dialogues/").status_code == 200


@pytest.mark.parametrize("rows", [1, 55])
def test_filtered_listing_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    country, topic, _programme = make_records(rows)
    # as above, plus validating the country (1) and topic (1) values
    with django_assert_max_num_queries(10):
        client.get(f"/en/dialogues/?country={country.iso_code}&topic={topic.slug}&ordering=-date")


@pytest.mark.parametrize("rows", [1, 55])
def test_detail_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    round_ = make_round(topics=[make_topic() for _ in range(rows)], sources=[make_source() for _ in range(rows)])
    # the page's record and its country for the title (2), then for its content the round with its
    # country (1), its published topics (1), its published sources (1), its citations (1), what it
    # raised (1); served again: the first 2
    with django_assert_max_num_queries(7):
        assert client.get(round_.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(round_.get_absolute_url()).status_code == 200


def test_each_stated_value_of_a_round_carries_its_citation(client):
    from dialogues.models import Citation

    # sources are listed by title: the readout first, so its footnote is [1]
    readout, other = make_source(title="A readout", url="https://example.org/a"), make_source(title="The news item")
    note = "after the 11th"
    round_ = make_round(sources=[readout, other], sequence_number=12, number_basis="inferred", number_note=note)
    Citation.objects.create(record=round_, field="held_on", source=readout)
    Citation.objects.create(record=round_, field="sequence_number", source=readout, basis="inferred", note=note)
    Citation.objects.create(
        record=round_, field="held_on", source=other, reading="12 June", note="the readout is the EU's"
    )
    html = client.get(round_.get_absolute_url()).content.decode()
    assert 'href="#source-1" title="Stated by: A readout">[1]</a>' in html
    assert 'class="cite inferred"' in html and "after the 11th" in html
    assert "another source gives <q>12 June</q>" in html and "the readout is the EU&#x27;s" in html
