"""The portal in English and Russian: the language in the URL (/en/, /ru/), the records' own
Russian names and texts, English marked as such where a text is not yet translated."""

import re

import pytest
from django.test import Client
from django.utils import translation

from dialogues.models import Topic
from tests.factories import make_country, make_project, make_round, make_topic

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_pages_render_in_russian_under_ru(client, real_data):
    page = html(client.get("/ru/"))
    assert '<html lang="ru">' in page
    assert "Диалоги по правам человека" in page
    assert "Ключевые показатели" in page


def test_the_url_not_the_browser_says_the_language(client):
    make_round()
    english = html(client.get("/en/dialogues/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert '<html lang="en">' in english and "Dialogue rounds" in english
    russian = html(client.get("/ru/dialogues/"))
    assert '<html lang="ru">' in russian and "Раунды диалога" in russian and "Применить фильтры" in russian


@pytest.mark.parametrize(
    ("headers", "cookies", "expected"),
    [
        ({}, {}, "/en/funding/projects/?country=KZ"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru,en;q=0.5"}, {}, "/ru/funding/projects/?country=KZ"),
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, {}, "/en/funding/projects/?country=KZ"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, {"django_language": "ru"}, "/ru/funding/projects/?country=KZ"),
    ],
)
def test_an_unprefixed_page_redirects_to_the_visitors_language(headers, cookies, expected):
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get("/funding/projects/?country=KZ", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_the_home_page_unprefixed_redirects_too(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/ru/"


@pytest.mark.parametrize("path", ["/api/v1/", "/healthz", "/sitemap.xml", "/robots.txt", "/admin/login/"])
def test_the_api_admin_and_machine_files_stay_unprefixed(client, path):
    assert client.get(path).status_code == 200
    assert client.get(f"/en{path}").status_code == 404


def test_an_unknown_path_is_a_404_not_a_redirect(client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/ru/no-such-page/").status_code == 404


def test_head_names_the_page_in_each_language(client):
    country = make_country(name="Kazakhstan", slug="kazakhstan", iso_code="KZ")
    page = html(client.get("/ru/funding/projects/?country=KZ"))
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert alternates == {
        "en": "http://testserver/en/funding/projects/?country=KZ",
        "x-default": "http://testserver/funding/projects/?country=KZ",  # redirects to the visitor's language
        "ru": "http://testserver/ru/funding/projects/?country=KZ",
    }
    assert '<link rel="canonical" href="http://testserver/ru/funding/projects/?country=KZ">' in page
    assert '<meta property="og:url" content="http://testserver/ru/funding/projects/?country=KZ">' in page
    record = html(client.get(f"/en{country.get_absolute_url()[3:]}"))
    assert '<link rel="canonical" href="http://testserver/en/countries/kazakhstan/">' in record
    assert 'hreflang="ru" href="http://testserver/ru/countries/kazakhstan/"' in record


def test_the_switcher_links_to_the_same_page_and_filters_in_the_other_language(client):
    make_round()
    page = html(client.get("/en/dialogues/?year_from=2009&q=media"))
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
    assert "<form" not in switcher  # links: they work without JavaScript and can be shared
    assert 'href="/ru/dialogues/?year_from=2009&amp;q=media" hreflang="ru" lang="ru"' in switcher
    assert 'href="/en/dialogues/?year_from=2009&amp;q=media" hreflang="en" lang="en" aria-current="true"' in switcher


def test_set_language_still_takes_the_visitor_to_the_page_in_that_language(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/en/dialogues/?q=media"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/dialogues/?q=media"


def test_the_sitemap_lists_every_page_in_both_languages(client):
    round_ = make_round()
    body = client.get("/sitemap.xml").content.decode()
    path = round_.get_absolute_url()[3:]  # without /en
    assert f"<loc>http://testserver/en{path}</loc>" in body
    assert f"<loc>http://testserver/ru{path}</loc>" in body
    assert f'hreflang="ru" href="http://testserver/ru{path}"' in body
    assert f'hreflang="x-default" href="http://testserver{path}"' in body  # as in <head>
    assert "<loc>http://testserver/ru/countries/</loc>" in body


def test_records_show_their_russian_names_on_russian_pages(client, real_data):
    page = html(client.get("/ru/countries/kazakhstan/"))
    assert "<h1>Казахстан</h1>" in page
    assert "диалог ЕС – Казахстан по правам человека" in page  # the rounds' titles, after their number
    assert "Свобода СМИ" in page
    english = html(client.get("/en/countries/kazakhstan/"))
    assert "<h1>Kazakhstan</h1>" in english and "Казахстан" not in english


def test_a_text_not_yet_translated_falls_back_to_english_marked_as_english(client):
    translated = make_topic(name="Rule of law", name_ru="Верховенство права", slug="rule-of-law")
    untranslated = make_topic(name="Labour rights", slug="labour-rights", description="Trade unions.")
    russian = html(client.get(f"/ru/topics/{untranslated.slug}/"))
    assert '<h1><span lang="en">Labour rights</span></h1>' in russian
    assert '<p class="lead" lang="en">Trade unions.</p>' in russian
    assert "<h1>Верховенство права</h1>" in html(client.get(f"/ru/topics/{translated.slug}/"))
    english = html(client.get(f"/en/topics/{untranslated.slug}/"))
    assert "<h1>Labour rights</h1>" in english and 'lang="en">Labour' not in english


def test_russian_is_kept_beside_english_whatever_language_saves(client):
    """The original column stays English (dialogues/languages.py): what reads it directly, such as
    a related lookup or an export, reads the same text whatever the editor's language."""
    topic = make_topic(name="Rule of law")
    with translation.override("ru"):
        topic.name = "Верховенство права"  # as an editor working in Russian sets it
        topic.save()
    stored = Topic.objects.values("name_en", "name_ru").get(pk=topic.pk)
    assert stored == {"name_en": "Rule of law", "name_ru": "Верховенство права"}
    assert Topic.objects.filter(pk=topic.pk, name_en="Rule of law").exists()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM dialogues_topic WHERE id = %s", [topic.pk])
        assert cursor.fetchone()[0] == "Rule of law"


def test_a_page_is_stored_apart_per_language(client, settings):
    settings.PUBLIC_RESPONSE_CACHE = True
    make_project(title="Monitoring places of detention", title_ru="Мониторинг мест лишения свободы")
    assert "Monitoring places of detention" in html(Client().get("/en/funding/projects/"))
    russian = Client().get("/ru/funding/projects/")
    assert "Мониторинг мест лишения свободы" in html(russian)
    assert russian["X-Portal-Cache"] == "miss"  # not the English copy
    assert "Мониторинг мест лишения свободы" in html(Client().get("/ru/funding/projects/"))
    assert "Мониторинг" not in html(Client().get("/en/funding/projects/"))


def test_unknown_is_translated(client):
    round_ = make_round(place="")
    page = html(client.get(f"/ru{round_.get_absolute_url()[3:]}"))
    assert "В источниках не указано" in page  # what no source states, in one line


def test_a_spreadsheet_imported_in_the_russian_admin_fills_the_english_texts(editor_client):
    from dialogues.models import DialogueRound
    from tests.factories import make_source
    from tests.spreadsheets import csv_file, import_file

    make_country("KZ", slug="kazakhstan")
    make_topic(slug="rights-of-women")
    row = {
        "country": "kz",
        "held_on": "2001-06",
        "place": "Astana",
        "format": "structured",
        "sequence_number": "1",
        "topics": "rights-of-women",
        "summary": "The EU raised the rights of women.",
        "sources": str(make_source().pk),
    }
    editor_client.cookies["django_language"] = "ru"  # the editor reads the admin in Russian
    assert import_file(editor_client, DialogueRound, csv_file([row])).status_code == 302
    stored = DialogueRound.objects.values("summary_en", "summary_ru", "place_en", "place_ru").get()
    assert stored == {
        "summary_en": "The EU raised the rights of women.",
        "summary_ru": None,
        "place_en": "Astana",
        "place_ru": None,
    }


def test_the_admin_form_has_both_languages_and_the_css_is_served_locally(editor_client):
    from django.urls import reverse

    topic = make_topic(name="Rule of law", slug="rule-of-law")
    page = html(editor_client.get(reverse("admin:dialogues_topic_change", args=[topic.pk])))
    for name in ("name_en", "name_ru", "description_en", "description_ru"):
        assert f'name="{name}"' in page
    assert 'name="name"' not in page  # the original column is kept English by the fields above
    assert "//ajax.googleapis.com" not in page and "cdn" not in page.lower()
