"""axe-core (from npm, node_modules/) on the main pages: no serious or critical violation."""

from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

PAGES = [
    "/en/",
    "/en/countries/",
    "/en/countries/kazakhstan/",
    "/en/dialogues/",
    "/en/dialogues/?country=XX",
    "/en/seminars/",
    "/en/funding/",
    "/en/funding/programmes/eidhr/",
    "/en/funding/projects/",
    "/en/funding/projects/1/",
    "/en/topics/",
    "/en/topics/media-freedom/",
    "/en/search/?q=media",
    "/en/dialogues/21/",
    "/en/concerns/",
    "/en/concerns/kz-torture-investigations/",
    "/en/countries/kazakhstan/concerns/",
    "/en/matrix/",
    "/en/sources/",
    "/en/sources/3/",
]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/install_browser.sh does)")
    return AXE.read_text()


def serious_violations(page, axe_source):
    # the CSP forbids inline scripts, so add_script_tag would be blocked: evaluate the source
    page.evaluate(axe_source)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )


def test_main_pages_have_no_serious_accessibility_violations(page, site, axe_source):
    failures = []
    for path in PAGES:
        page.goto(path)
        failures += [f"{path} {violation}" for violation in serious_violations(page, axe_source)]
    assert failures == []


@pytest.mark.parametrize("width", [1366, 390])
def test_api_documentation_has_no_serious_accessibility_violations(page, site, axe_source, width):
    """Swagger UI as loaded, then with operations opened and tried out, the examples shown and
    the Authorize dialog open (each state renders controls of its own)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(reverse("api:docs"))
    page.locator(".opblock").first.wait_for()
    failures = [f"loaded: {violation}" for violation in serious_violations(page, axe_source)]
    for method in ("get", "post", "put", "patch", "delete"):
        page.locator(f".opblock-{method} .opblock-summary-control").first.click()
    for method in ("get", "post"):
        page.locator(f".opblock-{method} .try-out__btn").first.click()
    page.locator(".btn.authorize").first.click()
    page.locator(".modal-ux").wait_for()
    failures += [f"opened: {violation}" for violation in serious_violations(page, axe_source)]
    assert failures == []


@pytest.mark.parametrize("width", [1366, 390])
def test_about_and_data_pages_have_no_serious_accessibility_violations(page, site, axe_source, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures = []
    for name in ("about", "data"):
        page.goto(reverse(name))
        failures += [f"{name}: {violation}" for violation in serious_violations(page, axe_source)]
        # a page no wider than the screen: the data dictionary's tables scroll in their own region
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    assert failures == []
