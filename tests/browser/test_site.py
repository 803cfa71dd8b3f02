"""The public site in a real browser: a newcomer's questions, filters, language, exports, keyboard."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dialogues.models import DialogueRound
from funding.models import Project

pytestmark = pytest.mark.browser


def results(count):
    return f"{count} result" if count == 1 else f"{count} results"


def published(model, **filters):
    return model.objects.published().filter(**filters).distinct().count()


def test_home_to_country_to_filtered_list_to_detail(page, site, screenshot):
    page.goto("/en/")
    screenshot("home")
    page.get_by_role("link", name="Kazakhstan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan")
    screenshot("country-kazakhstan")
    projects = published(Project, countries__iso_code="KZ")
    page.get_by_role("link", name=str(projects), exact=True).click()  # "Projects recorded: N", a filtered list
    expect(page).to_have_url(re.compile(r"/en/funding/projects/\?country=KZ$"))
    expect(page.get_by_role("status")).to_contain_text(results(projects))
    screenshot("projects-kazakhstan")
    page.get_by_role("link", name="Promotion of press freedom and media legislation reform").click()
    expect(page.get_by_role("heading", name="Part of a call")).to_be_visible()
    expect(page.locator("main")).to_contain_text("€670,000")
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    screenshot("project-detail")


def test_newcomer_questions(page, site, screenshot):
    # Which topics has the EU raised with Turkmenistan?
    page.goto("/en/countries/turkmenistan/")
    agenda = page.get_by_role("heading", name="Topics the EU raises with Turkmenistan").locator("..")
    expect(agenda).to_contain_text("Rights of the child")
    expect(agenda).to_contain_text("Gender equality")
    # When did each country's dialogue start?
    page.goto("/en/countries/")
    screenshot("countries")
    for country, start in [("Kazakhstan", "October 2008"), ("Turkmenistan", "2005"), ("Uzbekistan", "2007")]:
        expect(page.get_by_role("row", name=re.compile(country))).to_contain_text(start)
    # Which seminars were held in 2009?
    page.goto("/en/seminars/")
    page.get_by_label("From year").fill("2009")
    page.get_by_label("To year").fill("2009")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("3 results")
    screenshot("seminars-2009")
    # What did EIDHR fund in Kazakhstan, and for how much?
    page.goto("/en/funding/projects/?country=KZ&programme=eidhr")
    expect(page.get_by_role("status")).to_contain_text(
        results(published(Project, countries__iso_code="KZ", programme__slug="eidhr"))
    )
    expect(page.locator("main")).to_contain_text("part of a call totalling €670,000")
    page.goto("/en/funding/programmes/eidhr/")
    expect(page.locator("#call-1")).to_contain_text("€670,000")
    screenshot("programme-eidhr")


def test_apply_and_clear_filters(page, site):
    everything, turkmenistan = published(DialogueRound), published(DialogueRound, country__iso_code="TM")
    page.goto("/en/dialogues/")
    expect(page.get_by_role("status")).to_contain_text(results(everything))
    page.get_by_label(re.compile(rf"Turkmenistan \({turkmenistan}\)")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=TM"))
    expect(page.get_by_role("status")).to_contain_text(results(turkmenistan))
    page.get_by_role("link", name="Clear all filters").click()
    expect(page).to_have_url(re.compile(r"/en/dialogues/$"))
    expect(page.get_by_role("status")).to_contain_text(results(everything))


def test_invalid_filter_shows_an_error_not_a_crash(page, site):
    page.goto("/en/funding/projects/?year_from=abc&min_amount=-5")
    expect(page.get_by_role("alert")).to_contain_text("could not be understood")


def test_switch_language_and_keep_it(page, site, screenshot):
    page.goto("/en/seminars/?year_from=2009")
    page.get_by_role("link", name="Русский").click()  # a plain link: the same page and filters in Russian
    expect(page).to_have_url(re.compile(r"/ru/seminars/\?year_from=2009$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Семинары гражданского общества")
    page.get_by_role("link", name="Страны").click()
    expect(page).to_have_url(re.compile(r"/ru/countries/$"))  # the language stays in every link
    expect(page.get_by_role("heading", level=1)).to_have_text("Страны")
    page.get_by_role("link", name="Казахстан").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Казахстан")  # the record's Russian name
    screenshot("country-ru")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/countries/kazakhstan/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_page_served_from_the_cache_switches_language_for_the_next_visitor(browser, site):
    # The second visitor gets the first one's stored page (dialogues_portal/response_cache.py):
    # its switcher's link leads to the page in the other language, stored apart.
    first = browser.new_context(base_url=site)
    first.new_page().goto("/en/seminars/")
    visitor = browser.new_context(base_url=site)
    page = visitor.new_page()
    response = page.goto("/en/seminars/")
    assert response.headers["x-portal-cache"] == "hit"
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Семинары гражданского общества")
    first.close()
    visitor.close()


def test_download_an_export(page, site):
    page.goto("/en/funding/projects/?country=KZ")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "projects-KZ.csv"  # the file name says what was filtered
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == published(Project, countries__iso_code="KZ")
    assert all("KZ" in row["countries"].split(";") or "KZ" in row["countries"] for row in rows)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    assert download_info.value.suggested_filename == "projects-KZ.xlsx"


def test_filters_are_usable_with_the_keyboard_only(page, site):
    page.goto("/en/funding/projects/")
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
    kazakhstan_since_2010 = published(Project, countries__iso_code="KZ", starts_on__year__gte=2010)
    expect(page.get_by_role("status")).to_contain_text(results(kazakhstan_since_2010))
    # the skip link is the first stop and leads to the content
    page.goto("/en/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_a_newcomer_follows_what_the_eu_raised_with_kazakhstan(page, site, screenshot):
    # On Kazakhstan's page: what the EU raised, and what became of it
    page.goto("/en/countries/kazakhstan/")
    concerns = page.get_by_role("heading", name="What the EU raised, and what became of it").locator("..")
    expect(concerns).to_contain_text("torture")
    page.get_by_role("link", name=re.compile("investigation of torture allegations", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("torture")
    # each step with its date, status, who said it and a source a reader can open
    story = page.locator(".concern-story")
    expect(story).to_contain_text("Raised")
    expect(story.get_by_role("link").first).to_be_visible()
    expect(page.get_by_role("heading", name="Seminars that discussed it")).to_be_visible()
    expect(page.get_by_role("heading", name="EU-funded projects working on it")).to_be_visible()
    screenshot("concern-kazakhstan-torture")
    # the same story as of an earlier date
    page.get_by_label("Read the story as of").fill("2016-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"as_of=2016-01-01"))
    expect(story).not_to_contain_text("2020")
    # media freedom: the seminar that discussed it, the EIDHR project that worked on it
    page.goto("/en/concerns/kz-media-pressure/")
    expect(page.locator("main")).to_contain_text("Promotion of press freedom and media legislation reform")
    expect(page.locator("main")).to_contain_text("seminar")
    # the matrix, and a cell leading to the records behind it
    page.goto("/en/matrix/")
    screenshot("matrix")
    page.get_by_role("table").get_by_role("link", name=re.compile(r"\d+ rounds?")).first.click()
    expect(page).to_have_url(re.compile(r"/en/dialogues/\?country=[A-Z]{2}&topic="))
