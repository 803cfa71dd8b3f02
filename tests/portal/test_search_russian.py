"""Russian search finds records by their Russian names and texts, on PostgreSQL (Russian stemming,
the stored search documents hold the _ru columns) and on SQLite (the _ru columns are matched too).
Both databases run this file (scripts/test.sh)."""

import pytest
from django.db import connection
from django.utils import translation

from dialogues.models import DialogueRound
from tests.factories import make_country, make_project, make_round, make_seminar, make_topic

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


def found(client, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def russian_url(record):
    with translation.override("ru"):
        return f'href="{record.get_absolute_url()}"'


@pytest.fixture
def records():
    turkmenistan = make_country(iso_code="TM", name="Turkmenistan", name_ru="Туркменистан", slug="turkmenistan")
    return {
        "country": turkmenistan,
        "topic": make_topic(name="Freedom of the media", name_ru="Свобода СМИ", slug="media-freedom"),
        "round": make_round(country=turkmenistan, summary="Raised media.", summary_ru="Обсуждалась свобода СМИ."),
        "project": make_project(
            title="Legal aid", title_ru="Юридическая помощь", summary_ru="Защита права человека на справедливый суд."
        ),
        "seminar": make_seminar(title="Civil society seminar", title_ru="Семинар", city_ru="Ашхабад"),
    }


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("Туркменистан", ["country", "round"]),  # the round by its title's country
        ("СМИ", ["topic", "round"]),
        ("права человека", ["project"]),
        ("Ашхабад", ["seminar"]),
        ("сми", ["topic"]),  # whatever the case, on SQLite too
    ],
)
def test_the_search_page_finds_records_by_their_russian_texts(client, records, query, kinds):
    page = found(client, "/ru/search/", query)
    for kind in kinds:
        assert russian_url(records[kind]) in page, kind


def test_listings_and_the_api_search_the_russian_columns(client, records):
    assert russian_url(records["round"]) in found(client, "/ru/dialogues/", "Туркменистан")
    assert russian_url(records["round"]) not in found(client, "/ru/dialogues/", "Казахстан")
    assert russian_url(records["project"]) in found(client, "/ru/funding/projects/", "права человека")
    assert russian_url(records["seminar"]) in found(client, "/ru/seminars/", "Ашхабад")
    assert len(client.get("/api/v1/projects/", {"q": "права человека"}).json()["results"]) == 1


def test_both_languages_are_searched_on_either_page(client, records):
    assert russian_url(records["topic"]) in found(client, "/ru/search/", "media")
    assert 'href="/en/topics/media-freedom/"' in found(client, "/en/search/", "СМИ")


@pytest.mark.skipif(not POSTGRESQL, reason="Russian stemming is PostgreSQL's")
def test_russian_stemming_finds_other_forms_of_a_word(client, records):
    other = make_project(title="Monitoring", title_ru="Мониторинг", summary_ru="Доклады по правам человека.")
    page = found(client, "/ru/funding/projects/", "права человека")  # "правам" is a form of "права"
    assert russian_url(other) in page and russian_url(records["project"]) in page
    assert russian_url(records["country"]) in found(client, "/ru/search/", "Туркменистана")


@pytest.mark.parametrize(
    ("query", "link"),
    [
        ("Казахстан", "/ru/countries/kazakhstan/"),
        ("Туркменистан", "/ru/countries/turkmenistan/"),
        ("СМИ", "/ru/topics/media-freedom/"),
    ],
)
def test_the_real_record_is_found_in_russian(client, real_data_shared, query, link):
    assert f'href="{link}"' in found(client, "/ru/search/", query)


def test_every_real_round_is_found_in_russian_by_human_rights(client, real_data_shared):
    """Each round's Russian title names a dialogue, or a Sub-Committee, "по правам человека": the
    issue's "права человека" finds every one of them, by the displayed title it does not store."""
    response = client.get("/ru/dialogues/", {"q": "права человека"})
    assert response.status_code == 200
    assert response.context["paginator"].count == DialogueRound.objects.published().count() > 80
