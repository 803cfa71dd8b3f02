"""The interface in Russian: translated templates, the language switcher, the choice kept."""

import pytest

from tests.factories import make_round

pytestmark = pytest.mark.django_db


def test_pages_render_in_russian_with_accept_language(client, real_data):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in html
    assert "Диалоги по правам человека" in html
    assert "Ключевые показатели" in html


def test_language_switcher_keeps_the_choice_across_pages(client):
    make_round()
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/dialogues/"})
    assert response.status_code == 302
    html = client.get("/dialogues/").content.decode()
    assert "Раунды диалога" in html
    assert "Применить фильтры" in html
    assert '<html lang="ru">' in client.get("/seminars/").content.decode()


def test_unknown_is_translated(client):
    make_round(place="")
    round_ = make_round(place="")
    html = client.get(round_.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "В источниках не указано" in html  # what no source states, in one line
