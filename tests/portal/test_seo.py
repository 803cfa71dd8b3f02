"""sitemap.xml, robots.txt and the custom error pages."""

import pytest
from django.test import Client

from tests.factories import DRAFT, make_project, make_records, make_round

pytestmark = pytest.mark.django_db


def test_sitemap_lists_published_records_only(client):
    public = make_round()
    draft = make_round(publication_status=DRAFT)
    hidden_project = make_project(publication_status=DRAFT)
    body = client.get("/sitemap.xml").content.decode()
    assert public.get_absolute_url() in body
    assert draft.get_absolute_url() not in body
    assert hidden_project.get_absolute_url() not in body
    assert "/en/countries/" in body


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_custom_500_page(settings):
    from dialogues_portal import public_urls

    def broken(request):
        raise RuntimeError("boom")

    from django.urls import path

    settings.DEBUG = False
    public_urls.urlpatterns.insert(0, path("__broken__/", broken))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = Client(raise_request_exception=False).get("/en/__broken__/")
    finally:
        public_urls.urlpatterns.pop(0)
        clear_url_caches()
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.parametrize("rows", [1, 55])
def test_sitemap_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    # per record section (8, concerns and sources among them): a count for the paginator and the
    # page of records
    with django_assert_max_num_queries(16):
        assert client.get("/sitemap.xml").status_code == 200
