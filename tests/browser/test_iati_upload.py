"""The admin's IATI import in a real browser, as a Publisher: from the imported files' list to the
upload, the task worker's check and its preview, the confirmation and the projects imported; a
refused file says why; the upload form and the preview fit a 390 px phone."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues_portal.roles import EDITORS, PUBLISHERS
from tests.browser.test_phone import PHONE, WIDE
from tests.conftest import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.browser

FILES = Path(__file__).parent.parent / "funding" / "iati_files"


@pytest.fixture
def publisher_in_browser(page, site):
    """The browser's page at 1366 px, logged in to the admin through its login form as a Publisher."""
    make_staff("publisher", EDITORS, PUBLISHERS)
    page.set_viewport_size(WIDE)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("publisher")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Records and sources")).to_be_visible()
    return page


def run_worker(page):
    """`manage.py db_worker --batch`, as deployed: every waiting task, then it stops. On SQLite the
    live server shares the test's in-memory database connection, so the page waits on a blank
    document meanwhile (a page refreshing itself would send a request while the worker writes)."""
    here = page.url
    page.goto("about:blank")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    page.goto(here)


def open_upload_form(page):
    page.get_by_role("link", name="Imported IATI files").first.click()
    expect(page.get_by_role("heading", name="Select imported IATI file to view")).to_be_visible()
    page.get_by_role("link", name="Import an IATI activity file").click()
    expect(page.get_by_role("heading", name="Import an IATI activity file")).to_be_visible()


def upload(page, name):
    page.get_by_label("IATI activity file (.xml)").set_input_files(FILES / name)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting to be checked")


def test_a_publisher_uploads_checks_confirms_and_finds_the_projects(publisher_in_browser, screenshot):
    page = publisher_in_browser
    open_upload_form(page)
    expect(page.get_by_label("Publish the projects at once")).to_be_visible()  # a Publisher's choice
    upload(page, "activities-2.03.xml")
    expect(page.locator("main")).to_contain_text("Waiting for the worker")
    run_worker(page)
    expect(page.get_by_role("heading", name="What the import would do")).to_be_visible()
    summary = page.locator("table.iati-summary")
    expect(summary.get_by_role("row", name="Projects to create")).to_contain_text("6")
    expect(page.locator("table.iati-skipped")).to_contain_text("XX-TEST-ELSEWHERE")  # with its reason
    screenshot("admin-iati-preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting to be imported")
    run_worker(page)
    expect(page.get_by_role("heading", name="What the import did")).to_be_visible()
    expect(summary.get_by_role("row", name="Projects created")).to_contain_text("6")
    expect(page.get_by_role("status")).to_contain_text("Imported")
    page.get_by_role("link", name="The projects from IATI files").click()
    expect(page).to_have_url(re.compile(r"/admin/funding/project/\?source_kind__exact=iati$"))
    results = page.locator("#result_list")
    expect(results.get_by_role("link", name="Test project one", exact=True)).to_be_visible()
    expect(results.locator("tbody tr")).to_have_count(6)
    screenshot("admin-iati-imported-projects")


def test_a_refused_file_shows_its_reason(publisher_in_browser):
    page = publisher_in_browser
    open_upload_form(page)
    page.get_by_label("IATI activity file (.xml)").set_input_files(
        {"name": "activities.csv", "mimeType": "text/csv", "buffer": b"a,b\n"}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".errorlist")).to_contain_text("An IATI activity file is an .xml file.")
    upload(page, "version-1.03.xml")
    run_worker(page)
    refusal = page.locator(".errornote")
    expect(refusal).to_contain_text("The file is refused, nothing was imported:")
    expect(refusal).to_contain_text("1.03")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    expect(page.get_by_role("link", name="Upload a file")).to_be_visible()


def test_the_upload_form_and_its_preview_fit_a_phone_screen(publisher_in_browser):
    page = publisher_in_browser
    page.set_viewport_size(PHONE)
    page.goto("/admin/funding/iatifile/upload/")
    expect(page.get_by_role("button", name="Check the file")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    upload(page, "activities-2.03.xml")
    run_worker(page)
    expect(page.locator("table.iati-skipped")).to_contain_text("XX-TEST-ELSEWHERE")  # the widest table
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
