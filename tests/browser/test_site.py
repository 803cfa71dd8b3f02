"""The public site in a real browser: a newcomer's questions, filters, language, exports, keyboard."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_to_country_to_filtered_list_to_detail(page, site, screenshot):
    page.goto("/")
    screenshot("home")
    page.get_by_role("link", name="Kazakhstan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan")
    screenshot("country-kazakhstan")
    page.get_by_role("link", name="5", exact=True).click()  # "Projects recorded: 5", a filtered list
    expect(page).to_have_url(re.compile(r"/funding/projects/\?country=KZ$"))
    expect(page.get_by_role("status")).to_contain_text("5 results")
    screenshot("projects-kazakhstan")
    page.get_by_role("link", name="Promotion of press freedom and media legislation reform").click()
    expect(page.get_by_role("heading", name="Part of a call")).to_be_visible()
    expect(page.locator("main")).to_contain_text("€670,000")
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    screenshot("project-detail")


def test_newcomer_questions(page, site, screenshot):
    # Which topics has the EU raised with Turkmenistan?
    page.goto("/countries/turkmenistan/")
    agenda = page.get_by_role("heading", name="Topics the EU raises with Turkmenistan").locator("..")
    expect(agenda).to_contain_text("Rights of the child")
    expect(agenda).to_contain_text("Gender equality")
    # When did each country's dialogue start?
    page.goto("/countries/")
    screenshot("countries")
    for country, start in [("Kazakhstan", "October 2008"), ("Turkmenistan", "2005"), ("Uzbekistan", "2007")]:
        expect(page.get_by_role("row", name=re.compile(country))).to_contain_text(start)
    # Which seminars were held in 2009?
    page.goto("/seminars/")
    page.get_by_label("From year").fill("2009")
    page.get_by_label("To year").fill("2009")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("3 results")
    screenshot("seminars-2009")
    # What did EIDHR fund in Kazakhstan in 2010, and for how much?
    page.goto("/funding/projects/?country=KZ&programme=eidhr&year_from=2010&year_to=2010")
    expect(page.get_by_role("status")).to_contain_text("5 results")
    expect(page.locator("main")).to_contain_text("part of a call totalling €670,000")
    page.goto("/funding/programmes/eidhr/")
    expect(page.locator("#call-1")).to_contain_text("€670,000")
    screenshot("programme-eidhr")


def test_apply_and_clear_filters(page, site):
    page.goto("/dialogues/")
    expect(page.get_by_role("status")).to_contain_text("5 results")
    page.get_by_label(re.compile(r"Turkmenistan \(2\)")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=TM"))
    expect(page.get_by_role("status")).to_contain_text("2 results")
    page.get_by_role("link", name="Clear all filters").click()
    expect(page).to_have_url(re.compile(r"/dialogues/$"))
    expect(page.get_by_role("status")).to_contain_text("5 results")


def test_invalid_filter_shows_an_error_not_a_crash(page, site):
    page.goto("/funding/projects/?year_from=abc&min_amount=-5")
    expect(page.get_by_role("alert")).to_contain_text("could not be understood")


def test_switch_language_and_keep_it(page, site, screenshot):
    page.goto("/seminars/")
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Семинары гражданского общества")
    page.get_by_role("link", name="Страны").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Страны")
    screenshot("countries-ru")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_page_served_from_the_cache_switches_language_for_the_next_visitor(browser, site):
    # The second visitor gets the first one's stored page, with a CSRF token of their own in its
    # language form (dialogues_portal/response_cache.py): the switch must work for them too.
    first = browser.new_context(base_url=site)
    first.new_page().goto("/seminars/")
    visitor = browser.new_context(base_url=site)
    page = visitor.new_page()
    response = page.goto("/seminars/")
    assert response.headers["x-portal-cache"] == "hit"
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Семинары гражданского общества")
    first.close()
    visitor.close()


def test_download_an_export(page, site):
    page.goto("/funding/projects/?country=KZ")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "projects.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 5
    assert {row["countries"] for row in rows} == {"KZ"}


def test_filters_are_usable_with_the_keyboard_only(page, site):
    page.goto("/funding/projects/")
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused and page.evaluate("document.activeElement.value") == "KZ":
            break
    else:
        pytest.fail("the Kazakhstan checkbox cannot be reached with Tab")
    page.keyboard.press("Space")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "year_from":
            break
    page.keyboard.type("2010")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"country=KZ.*year_from=2010"))
    expect(page.get_by_role("status")).to_contain_text("5 results")
    # the skip link is the first stop and leads to the content
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
