"""A synonym the sources themselves give is found (dialogues/synonyms.py), on every database:
"disinformation" finds what speaks of FIMI, and the other way round."""

import re

import pytest
from django.urls import reverse

from dialogues.synonyms import variants
from tests.factories import make_project, make_round, make_topic

pytestmark = pytest.mark.django_db


def titles(response):
    return sorted(record.title for record in response.context["object_list"])


def test_disinformation_finds_fimi_records(client):
    make_project(title="Countering FIMI in the media")
    make_project(title="Resilience to foreign information manipulation and interference")
    make_project(title="Media freedom")
    response = client.get(reverse("project-list"), {"q": "disinformation"})
    assert titles(response) == [
        "Countering FIMI in the media",
        "Resilience to foreign information manipulation and interference",
    ]


def test_fimi_finds_what_says_disinformation(client, api):
    make_project(title="Lot 1: media freedom and disinformation")
    assert titles(client.get(reverse("project-list"), {"q": "FIMI"})) == ["Lot 1: media freedom and disinformation"]
    response = api.get(reverse("api:project-list"), {"q": "fimi"})
    assert [row["title"] for row in response.json()["results"]] == ["Lot 1: media freedom and disinformation"]


def test_the_search_page_finds_the_fimi_topic_and_rounds_by_disinformation(client):
    make_topic(name="Foreign information manipulation and interference (FIMI)")
    make_round(summary="The EU raised FIMI and media freedom.")
    html = client.get(reverse("search"), {"q": "disinformation"}).content.decode()
    text = re.sub(r"</?mark>", "", html)  # the words found are marked
    assert "Foreign information manipulation and interference (FIMI)" in text
    assert "The EU raised FIMI" in text and "<mark>FIMI</mark>" in html


def test_a_synonym_combines_with_the_other_words(client):
    make_project(title="FIMI in Kyrgyzstan")
    make_project(title="FIMI in Tajikistan")
    assert titles(client.get(reverse("project-list"), {"q": "disinformation Kyrgyzstan"})) == ["FIMI in Kyrgyzstan"]


def test_only_whole_words_are_replaced_and_other_text_is_left_alone():
    assert variants("torture") == ["torture"]
    assert variants("misdisinformation") == ["misdisinformation"]
    assert variants("Disinformation (2020)") == [
        "Disinformation (2020)",
        "FIMI (2020)",
        "foreign information manipulation and interference (2020)",
    ]


@pytest.mark.parametrize("text", ["disinformation(", "FIMI\\1 [a-z]*", '"disinformation', "<script>FIMI</script>"])
def test_hostile_queries_with_synonyms_never_fail(client, text):
    make_project(title="FIMI")
    assert client.get(reverse("project-list"), {"q": text}).status_code == 200
    assert client.get(reverse("search"), {"q": text}).status_code == 200
