"""On a Russian page, a record's text not yet translated is shown in English and marked lang="en",
wherever the page prints it: headings, tables, timelines, lists of related records, search results,
the cite line (dialogues/templatetags/languages.py); so is a text that records keep in English only
(a call's title, a recommendation). Checked on the real record, where most titles, places and
organisations have no Russian yet. Figures cached for every reader name each programme in the
reader's language."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.utils.html import strip_tags
from modeltranslation.translator import translator

from dialogues.models import Source
from tests.factories import make_country, make_programme, make_project

pytestmark = pytest.mark.django_db

APPS = ("dialogues", "seminars", "funding")
ENGLISH_ONLY = {
    "funding.Call": ("title", "summary"),
    "funding.FundingFigure": ("statement",),
    "dialogues.ConcernEntry": ("statement",),
    "seminars.Recommendation": ("text",),
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PUNCTUATION = " —–,.;:()·“”"

# A page of each kind, several of a kind where they list different records (the sitemap's other
# pages repeat these templates); searches that find every kind, summaries included.
SEARCHES = ["/ru/search/?q=media", "/ru/search/?q=torture", "/ru/search/?q=Council", "/ru/dialogues/?q=media"]
PER_KIND = 6


class ShownTexts(HTMLParser):
    """The page's text nodes (not scripts, styles, the <title>), each with the language the
    nearest `lang` attribute around it gives and whether it stands in the filter form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            attrs = dict(attrs)
            self.open.append((tag, attrs.get("lang"), "filters" in (attrs.get("class") or "").split()))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        text = " ".join(data.split()).strip(PUNCTUATION)
        if text and not any(tag in ("script", "style", "title") for tag, _lang, _form in self.open):
            lang = next((lang for _tag, lang, _form in reversed(self.open) if lang), None)
            self.texts.append((text, lang, any(form for _tag, _lang, form in self.open)))


def plain(text):
    return " ".join(strip_tags(text or "").split()).strip(PUNCTUATION)


def quoted():
    """Sources' titles and publishers: quoted as the sources give them, in their own language (no
    translation), so not what this test looks for, though a seminar's title may read the same."""
    return {plain(text) for row in Source.objects.values_list("title", "publisher") for text in row}


def english_texts():
    """(model, field, text) of every record's text that a Russian page shows in English."""
    fields = {
        model: [(field, f"{field}_ru") for field in translator.get_options_for_model(model).fields]
        for model in translator.get_registered_models(abstract=False)
        if model._meta.app_label in APPS and not model.__name__.startswith("Historical")
    }
    for label, names in ENGLISH_ONLY.items():
        fields[apps.get_model(label)] = [(field, None) for field in names]
    found = []
    for model, names in fields.items():
        for field, russian in names:
            rows = model.objects.all()
            if russian:
                rows = rows.filter(**{f"{russian}__isnull": True}) | rows.filter(**{russian: ""})
            for english in rows.values_list(f"{field}_en" if russian else field, flat=True):
                if len(text := plain(english)) >= 6:
                    found.append((model.__name__, field, text))
    return found


def russian_pages(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    pages, per_kind = [], {}
    for url in re.findall(r"<loc>https?://[^/]+(/ru/[^<]*)</loc>", sitemap):
        segments = url.strip("/").split("/")
        kind = "/".join(segments[:-1]) if len(segments) > 2 else url  # every overview and listing
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if per_kind[kind] <= PER_KIND:
            pages.append(url)
    return pages + SEARCHES


def shown(text, english):
    """Whether a text node on the page is `english` (or, for a long text, begins it)."""
    return text == english or (len(english) > 40 and text.startswith(english[:40]))


def unmarked_english(client, pages, *, in_filter_form):
    texts, as_given, found = english_texts(), quoted(), set()
    assert len(texts) > 100  # the real record: most titles, places and organisations are English only
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        parser = ShownTexts()
        parser.feed(response.content.decode())
        for text, lang, in_form in parser.texts:
            if lang != "en" and in_form == in_filter_form and text not in as_given:
                found.update(
                    f"{url} {model}.{field}: {english[:50]}" for model, field, english in texts if shown(text, english)
                )
    return sorted(found)


def test_every_english_text_on_a_russian_page_is_marked_as_english(client, real_data_shared):
    pages = russian_pages(client)
    assert len(pages) > 60
    assert unmarked_english(client, pages, in_filter_form=False) == []


def test_the_filter_forms_options_mark_an_english_name_too(client, real_data_shared):
    assert unmarked_english(client, ["/ru/funding/projects/"], in_filter_form=True) == []


def test_the_cached_contribution_names_each_programme_in_the_readers_language(client):
    """funding.aggregates caches the known contribution for every reader: a Russian reader first
    must not leave the programme's Russian name on the English page (nor in the API)."""
    country = make_country("KZ", name="Kazakhstan", name_ru="Казахстан", slug="kazakhstan")
    named = make_programme(slug="xx-named", name="Initiative XX-TEST", name_ru="Инициатива XX-TEST")
    untranslated = make_programme(slug="xx-test", name="Programme XX-TEST")
    for programme in (named, untranslated):
        make_project(countries=[country], programme=programme, eu_contribution_eur=1000)
    russian = client.get("/ru/countries/kazakhstan/").content.decode()
    english = client.get("/en/countries/kazakhstan/").content.decode()
    assert ">Initiative XX-TEST</a>" in english and "Инициатива" not in english
    assert '<span lang="en">' not in english
    assert ">Инициатива XX-TEST</a>" in russian
    assert '><span lang="en">Programme XX-TEST</span></a>' in russian
    contribution = client.get("/api/v1/stats/").json()["known_eu_contribution"]
    assert {row["programme"]["name"] for row in contribution["by_programme"]} == {
        "Initiative XX-TEST",
        "Programme XX-TEST",
    }
