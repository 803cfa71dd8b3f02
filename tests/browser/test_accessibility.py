"""axe-core (from npm, node_modules/) on the main pages: no serious or critical violation."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

PAGES = [
    "/",
    "/countries/",
    "/countries/kazakhstan/",
    "/dialogues/",
    "/dialogues/?country=XX",
    "/seminars/",
    "/funding/",
    "/funding/programmes/eidhr/",
    "/funding/projects/",
    "/funding/projects/1/",
    "/topics/",
    "/topics/media-freedom/",
    "/search/?q=media",
    "/dialogues/21/",
    "/concerns/",
    "/concerns/kz-torture-investigations/",
    "/countries/kazakhstan/concerns/",
    "/matrix/",
    "/sources/",
    "/sources/3/",
]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/install_browser.sh does)")
    return AXE.read_text()


def test_main_pages_have_no_serious_accessibility_violations(page, site, axe_source):
    failures = []
    for path in PAGES:
        page.goto(path)
        # the CSP forbids inline scripts, so add_script_tag would be blocked: evaluate the source
        page.evaluate(axe_source)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
        )
        failures += [f"{path} {violation}" for violation in violations]
    assert failures == []
