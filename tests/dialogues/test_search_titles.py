"""A dialogue round is found by the words of its displayed (generated) title, on PostgreSQL and
SQLite alike: the country's name, the dialogue's name and the year, as well as its own text."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_country, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds():
    kazakhstan, uzbekistan = make_country("KZ", name="Kazakhstan"), make_country("UZ", name="Uzbekistan")
    return {
        "kz": make_round(
            country=kazakhstan, summary="Torture prevention was raised.", held_on=datetime.date(2012, 6, 1)
        ),
        "kz_plain": make_round(country=kazakhstan, summary="", held_on=datetime.date(2015, 6, 1)),
        "uz": make_round(country=uzbekistan, format="subcommittee", summary="", held_on=datetime.date(2019, 6, 1)),
    }


def found(client, text, url_name="dialogueround-list"):
    response = client.get(reverse(url_name), {"q": text})
    return {record.pk for record in response.context["object_list"]}


def test_every_round_is_found_by_the_words_its_title_shows(client, rounds):
    # "EU–Kazakhstan human rights dialogue" and "EU–Uzbekistan Sub-Committee on ..., Human Rights ..."
    assert found(client, "human rights") == {r.pk for r in rounds.values()}
    assert found(client, "dialogue") == {rounds["kz"].pk, rounds["kz_plain"].pk}
    assert found(client, "Sub-Committee") == {rounds["uz"].pk}


def test_a_round_is_found_by_its_country_and_year(client, rounds):
    assert found(client, "Kazakhstan") == {rounds["kz"].pk, rounds["kz_plain"].pk}
    assert found(client, "Kazakhstan human rights 2015") == {rounds["kz_plain"].pk}


def test_title_words_and_the_rounds_own_text_combine(client, rounds):
    assert found(client, "torture Kazakhstan") == {rounds["kz"].pk}
    assert found(client, "torture Uzbekistan") == set()


def test_a_word_in_no_title_finds_nothing_more(client, rounds):
    assert found(client, "Turkmenistan") == set()
    assert found(client, "torture") == {rounds["kz"].pk}


def test_the_api_finds_rounds_by_their_title_too(api, rounds):
    response = api.get(reverse("api:dialogueround-list"), {"q": "human rights dialogue"})
    assert {row["id"] for row in response.json()["results"]} == {rounds["kz"].pk, rounds["kz_plain"].pk}
