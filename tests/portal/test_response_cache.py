"""The public response cache (dialogues_portal/response_cache.py): a visitor's listing, search,
detail and overview pages and API lists are served again without a query until the next edit;
nobody else's page, draft, CSRF token or language is ever served."""

import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from dialogues.publishing import PublicationStatus
from dialogues_portal.response_cache import HIT_HEADER

from ..factories import make_country, make_project, make_topic

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def response_cache_on(settings):
    settings.PUBLIC_RESPONSE_CACHE = True


@pytest.fixture
def project(db):
    country = make_country(iso_code="KZ", name="Kazakhstan", slug="kazakhstan")
    topic = make_topic(slug="torture-prevention", name="Torture prevention")
    return make_project(title="Monitoring places of detention", countries=[country], topics=[topic])


PUBLIC_URLS = [
    "/en/funding/projects/",
    "/en/funding/projects/?country=KZ",
    "/en/funding/projects/?q=detention",
    "/en/search/?q=detention",
    "/en/countries/",
    "/en/countries/kazakhstan/",
    "/en/",
    "/api/v1/projects/",
    "/api/v1/projects/?country=KZ",
    "/api/v1/countries/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_second_visitor_is_served_the_stored_response_without_a_query(url, project, django_assert_num_queries):
    first = Client().get(url)
    assert first.status_code == 200, url
    assert first[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second[HIT_HEADER] == "hit"
    assert second["Content-Type"] == first["Content-Type"]
    assert CSRF_INPUT.sub("", second.content.decode()) == CSRF_INPUT.sub("", first.content.decode())


@pytest.mark.django_db
def test_the_project_detail_page_is_stored_too(project, django_assert_num_queries):
    url = f"/en/funding/projects/{project.pk}/"
    assert Client().get(url)[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        assert Client().get(url)[HIT_HEADER] == "hit"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/en/funding/projects/", "/api/v1/projects/"])
def test_an_edit_is_seen_at_once(url, project):
    assert b"Monitoring places of detention" in Client().get(url).content
    project.title = "Visits to prisons"
    project.save()
    response = Client().get(url)
    assert response[HIT_HEADER] == "miss"
    assert b"Visits to prisons" in response.content
    assert b"Monitoring places of detention" not in response.content


@pytest.mark.django_db
def test_unpublishing_removes_the_record_from_the_stored_pages(project):
    assert b"Monitoring places of detention" in Client().get("/api/v1/projects/").content
    project.publication_status = PublicationStatus.DRAFT
    project.save()
    assert b"Monitoring places of detention" not in Client().get("/api/v1/projects/").content


@pytest.mark.django_db
def test_a_stored_page_holds_no_visitors_token_and_links_to_the_other_language():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/en/funding/projects/?country=KZ")
    page = second.get("/en/funding/projects/?country=KZ")
    assert page[HIT_HEADER] == "hit"
    html = page.content.decode()
    assert CSRF_INPUT.search(html) is None  # the language switcher is links, not a form
    assert 'href="/ru/funding/projects/?country=KZ" hreflang="ru"' in html
    russian = second.get("/ru/funding/projects/?country=KZ")
    assert russian["Content-Language"] == "ru"
    assert russian[HIT_HEADER] == "miss"  # stored apart from the English
    assert b'<html lang="ru">' in russian.content


@pytest.mark.django_db
def test_languages_hosts_and_media_types_are_stored_apart(project, settings):
    settings.ALLOWED_HOSTS = ["portal.example", "testserver"]
    english = Client().get("/en/funding/projects/")
    russian = Client(headers={"accept-language": "ru"}).get("/ru/funding/projects/")
    assert (english["Content-Language"], russian["Content-Language"]) == ("en", "ru")
    assert russian[HIT_HEADER] == "miss"
    here = Client().get("/api/v1/projects/").json()
    there = Client(HTTP_HOST="portal.example").get("/api/v1/projects/").json()
    assert here["results"][0]["url"].startswith("http://testserver/")
    assert there["results"][0]["url"].startswith("http://portal.example/")
    browsable = Client().get("/api/v1/projects/", headers={"accept": "text/html"})
    assert browsable["Content-Type"].startswith("text/html")
    assert HIT_HEADER not in browsable  # the browsable API is not stored


@pytest.mark.django_db
def test_editors_never_receive_or_fill_the_visitors_copy(project, editor, django_assert_num_queries):
    draft = make_project(title="An unpublished project", publication_status=PublicationStatus.DRAFT)
    Client().get("/api/v1/projects/")  # stored for visitors
    token = Token.objects.create(user=editor)
    with_token = Client(headers={"authorization": f"Token {token.key}"}).get("/api/v1/projects/")
    assert HIT_HEADER not in with_token
    assert draft.title in with_token.content.decode()
    session = Client()
    session.force_login(editor)
    assert HIT_HEADER not in session.get("/api/v1/projects/")
    visitor = Client().get("/api/v1/projects/")
    assert visitor[HIT_HEADER] == "hit"
    assert draft.title not in visitor.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/projects/?year_from=x", "/en/funding/projects/999999/", "/nowhere/"])
def test_errors_are_never_stored(url, project):
    statuses = [Client().get(url) for _ in range(2)]
    assert {response.status_code for response in statuses} != {200}
    assert all(response.get(HIT_HEADER) != "hit" for response in statuses)


@pytest.mark.django_db
def test_stored_api_lists_still_count_against_the_anonymous_rate_limit(api, monkeypatch, project):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/minute"})
    responses = [api.get("/api/v1/countries/") for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 429]
    assert responses[1][HIT_HEADER] == "hit"


@pytest.mark.django_db
def test_it_can_be_turned_off(project, settings):
    settings.PUBLIC_RESPONSE_CACHE = False
    Client().get("/en/funding/projects/")
    assert HIT_HEADER not in Client().get("/en/funding/projects/")


@pytest.mark.django_db
def test_large_responses_are_rendered_every_time(project, monkeypatch):
    monkeypatch.setattr("dialogues_portal.response_cache.MAX_STORED_BYTES", 1000)
    Client().get("/api/v1/countries/")  # a few hundred bytes: stored
    Client().get("/en/funding/projects/")  # tens of kilobytes: not
    assert Client().get("/api/v1/countries/")[HIT_HEADER] == "hit"
    assert HIT_HEADER not in Client().get("/en/funding/projects/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/en/funding/projects/?utm_source=x", "/api/v1/projects/?junk=1", "/en/?x=1"])
def test_a_parameter_the_view_does_not_know_stores_nothing(url, project):
    from django.core.cache import cache

    Client().get(url.split("?")[0])  # the page without it is stored: one entry
    stored = len(cache._cache)
    for value in range(3):
        response = Client().get(f"{url}{value}")
        assert response.status_code == 200
        assert HIT_HEADER not in response  # neither served a copy nor stored as one
    assert len(cache._cache) == stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "/en/funding/projects/?country=KZ&topic=torture-prevention",
            "/en/funding/projects/?topic=torture-prevention&country=KZ",
        ),
        ("/api/v1/projects/?page=1&country=KZ", "/api/v1/projects/?country=KZ&page=1"),
    ],
)
def test_the_same_known_parameters_in_another_order_are_the_same_entry(first, second, project):
    assert Client().get(first)[HIT_HEADER] == "miss"
    assert Client().get(second)[HIT_HEADER] == "hit"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/en/search/?q=detention",
        "/en/matrix/?measure=funding",
        "/api/v1/projects/?page_size=5",
        "/en/funding/projects/?page=1",
    ],
)
def test_the_parameters_a_view_reads_are_known_to_the_cache(url, project):
    assert Client().get(url)[HIT_HEADER] == "miss"
    assert Client().get(url)[HIT_HEADER] == "hit"
