"""Every public page on a 390 px phone, in English and Russian: nothing wider than the screen, chart
text of at least 12 px with no label cut, the results before the filters, no serious axe violation
(on a 1366 px screen neither)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from dialogues.models import Concern, Country, DialogueRound, Source, Topic
from funding.models import Programme, Project
from seminars.models import Seminar
from tests.browser.test_accessibility import AXE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}
LANGUAGES = ["en", "ru"]

LISTINGS = ["dialogueround-list", "seminar-list", "programme-list", "project-list", "concern-list", "source-list"]


def public_pages(language):
    """Every kind of public page, its URL built in `language` (so with its /ru/ prefix once URLs
    carry the language; before that the language cookie chooses it)."""
    country = Country.objects.published().order_by("pk").first()
    records = [
        country,
        DialogueRound.objects.published().order_by("pk").first(),
        Seminar.objects.published().order_by("pk").first(),
        Programme.objects.published().order_by("pk").first(),
        Project.objects.published().order_by("pk").first(),
        Topic.objects.published().order_by("pk").first(),
        Concern.objects.public().order_by("pk").first(),
        Source.objects.published().order_by("pk").first(),
    ]
    with translation.override(language):
        return [
            reverse("home"),
            reverse("country-list"),
            *(reverse(name) for name in LISTINGS),
            reverse("topic-list"),
            reverse("matrix"),
            reverse("country-concerns", args=[country.slug]),
            reverse("search") + "?q=media",
            reverse("about"),
            reverse("data"),
            *(record.get_absolute_url() for record in records),
        ]


def not_found_page(language):
    with translation.override(language):
        return reverse("home") + "no-such-page/"


class Phone:
    """A browser, 390 px wide unless told otherwise, that reads the site in a given language."""

    def __init__(self, browser, site, **options):
        self.site = site
        self.context = browser.new_context(base_url=site, **{"viewport": PHONE, **options})
        self.page = self.context.new_page()

    def open(self, language, path, status=200):
        # the cookie chooses the language where the URL does not (before the /en/, /ru/ prefixes)
        self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.site}])
        response = self.page.goto(path)
        assert response.status == status, path
        assert self.page.evaluate("document.documentElement.lang") == language, path
        return self.page


@pytest.fixture
def phone(browser, site, request):
    phone = Phone(browser, site, **getattr(request, "param", {}))
    yield phone
    phone.context.close()


# Chart texts whose drawn size (font size times the drawing's scale on screen) is under 12 px.
SMALL_CHART_TEXT = """() => [...document.querySelectorAll('svg text')]
  .filter(text => text.getClientRects().length)
  .map(text => [text.textContent.trim(), parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a])
  .filter(([, size]) => size < 11.95)
  .map(([label, size]) => `${label}: ${size.toFixed(1)} px`)"""

# Chart texts that stick out of their drawing (and so are cut at its edge).
CLIPPED_CHART_TEXT = """() => [...document.querySelectorAll('svg')].flatMap(svg => {
  const box = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].filter(text => {
    const b = text.getBBox();
    return b.x < box.x - 0.5 || b.y < box.y - 0.5
      || b.x + b.width > box.x + box.width + 0.5 || b.y + b.height > box.y + box.height + 0.5;
  }).map(text => text.textContent.trim());
})"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_fits_a_phone_screen(phone, language):
    failures = []
    pages = [(path, 200) for path in public_pages(language)] + [(not_found_page(language), 404)]
    for path, status in pages:
        page = phone.open(language, path, status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            failures.append(f"{path} is {width} px wide")
        failures += [f"{path} chart text {text}" for text in page.evaluate(SMALL_CHART_TEXT)]
        failures += [f"{path} chart text cut: {text}" for text in page.evaluate(CLIPPED_CHART_TEXT)]
        failures += [f"{path} table wider than the screen, no cue: {t}" for t in page.evaluate(WIDE_TABLES_WITHOUT_CUE)]
    assert failures == []


def serious_violations_on_every_public_page(phone, language):
    source = AXE.read_text()
    failures = []
    for path in [*public_pages(language), not_found_page(language)]:
        page = phone.open(language, path, 404 if path.endswith("no-such-page/") else 200)
        page.evaluate(source)  # the CSP forbids inline scripts: evaluate the source
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
        )
        failures += [f"{path} {violation}" for violation in violations]
    return failures


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_no_serious_accessibility_violation_on_a_phone(phone, language):
    assert serious_violations_on_every_public_page(phone, language) == []


@pytest.mark.parametrize("phone", [{"viewport": WIDE}], indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_no_serious_accessibility_violation_on_a_wide_screen(phone, language):
    """The same pages at 1366 px, where the filters stand beside the results and the charts widen."""
    assert phone.page.viewport_size == WIDE
    assert serious_violations_on_every_public_page(phone, language) == []


# Where the results stand against the first filter control: is that control shown, and does it come
# after the results in reading order?
FILTERS_AND_RESULTS = """() => {
  const control = document.querySelector('.filters input, .filters select');
  const results = document.querySelector('.listing-results');
  return {
    shown: control.checkVisibility(),
    after: Boolean(results.compareDocumentPosition(control) & Node.DOCUMENT_POSITION_FOLLOWING),
  };
}"""


# A table wider than the phone scrolls in its own box, which shows the scrolling shadows as its cue.
WIDE_TABLES_WITHOUT_CUE = """() => [...document.querySelectorAll('main table')]
  .filter(table => table.getBoundingClientRect().width > window.innerWidth)
  .filter(table => {
    const box = table.closest('.table-scroll');
    return !box || box.scrollWidth <= box.clientWidth || !getComputedStyle(box).backgroundImage.includes('gradient');
  })
  .map(table => table.caption ? table.caption.textContent : table.outerHTML.slice(0, 60))"""


@pytest.mark.parametrize("phone", [{"java_script_enabled": False}], indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_results_come_before_the_filters_which_open_without_javascript(phone, language):
    for name in LISTINGS:
        with translation.override(language):
            path = reverse(name)
        page = phone.open(language, path)
        where = page.evaluate(FILTERS_AND_RESULTS)
        assert not where["shown"] or where["after"], path  # folded away, or read after the results
        assert page.locator(".listing-results").is_visible()
        assert page.evaluate(WIDE_TABLES_WITHOUT_CUE) == [], path
        page.locator(".filter-panel > summary").click()  # a plain <details>: no script needed
        assert page.evaluate(FILTERS_AND_RESULTS)["shown"], path


def test_on_a_wide_screen_the_filters_stand_open_beside_the_results(browser, site):
    context = browser.new_context(base_url=site, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(reverse("project-list"))
    assert page.evaluate(FILTERS_AND_RESULTS)["shown"]
    assert not page.locator(".filter-panel > summary").is_visible()
    context.close()


# The heat map on /topics/: its row labels' boxes, the drawing's box, the gap above the first row.
HEAT_MAP = """() => {
  const svg = document.querySelector('svg.heat-map');
  const drawn = svg.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('.row-label')].map(label => {
    const box = label.getBoundingClientRect();
    return {text: label.textContent, inside: box.left >= drawn.left - 0.5 && box.right <= drawn.right + 0.5};
  });
  return {labels, gap: svg.querySelector('rect').getBoundingClientRect().top - drawn.top};
}"""


# How many shown elements hold the given text as their own.
SHOWN_TEXTS = """title => [...document.querySelectorAll('main *')].filter(element => element.checkVisibility()
  && [...element.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim() === title)
).length"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_topic_heat_map_cuts_no_label_and_says_its_title_once(phone, language):
    with translation.override(language):
        path = reverse("topic-list")
        title = translation.gettext("Topic attention per country")
    page = phone.open(language, path)
    heat = page.evaluate(HEAT_MAP)
    assert len(heat["labels"]) == Topic.objects.published().count()
    assert [label["text"] for label in heat["labels"] if not label["inside"]] == []
    assert heat["gap"] < 40  # the column letters, then the grid: no blank band above it
    assert page.evaluate(SHOWN_TEXTS, title) == 1
