"""The filter form in a real browser: empty fields never reach the URL (static/js/filters.js;
without it the server redirects), folded options open without JavaScript."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_country, make_round, make_topic

pytestmark = pytest.mark.browser


@pytest.fixture
def rounds(transactional_db):
    make_round(country=make_country("KZ", name="Kazakhstan"), topics=[make_topic(name="Torture")])
    make_topic(name="Youth")


def document_requests(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url) if request.resource_type == "document" else None)
    return urls


def test_apply_filters_sends_only_the_filled_fields(page, live_server, rounds):
    page.goto(live_server.url + reverse("dialogueround-list"))
    asked = document_requests(page)
    page.get_by_label(re.compile(r"Kazakhstan \(1\)")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/en/dialogues/\?country=KZ$"))
    assert [url.split("?", 1)[1] for url in asked] == ["country=KZ"]  # no redirect was needed


def test_apply_filters_without_javascript_ends_on_the_same_url(browser, live_server, rounds):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("dialogueround-list"))
    page.get_by_label(re.compile(r"Kazakhstan \(1\)")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/en/dialogues/\?country=KZ$"))
    page.get_by_text("1 more with no records").click()  # a <details>: no script needed
    expect(page.get_by_label("Youth")).to_be_visible()
    context.close()
