"""Search results mark the words found (dialogues/highlight.py): escaped first, then marked, so
that no query and no record's text can break the page's HTML."""

import pytest
from django.urls import reverse
from django.utils.safestring import mark_safe

from dialogues.highlight import highlight
from tests.factories import make_project, make_round, make_seminar


def test_words_and_their_endings_are_marked():
    assert highlight("Torture prevention and tortured detainees", "torture") == (
        "<mark>Torture</mark> prevention and <mark>tortured</mark> detainees"
    )
    assert highlight("Human right, human rights", "rights") == "Human <mark>right</mark>, human <mark>rights</mark>"
    assert highlight("Media freedom", "torture") == "Media freedom"


def test_only_word_beginnings_are_marked():
    assert highlight("Extortion", "torture") == "Extortion"


def test_synonyms_the_sources_give_are_marked_too():
    assert highlight("Countering FIMI", "disinformation") == "Countering <mark>FIMI</mark>"


def test_short_words_and_search_syntax_are_not_marked():
    assert (
        highlight("EU and the rule of law", 'EU and "rule of" -law OR x')
        == "EU and the <mark>rule</mark> of <mark>law</mark>"
    )


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("<script>alert(1)</script>", "script", "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"),
        ("<b>bold</b>", "torture", "&lt;b&gt;bold&lt;/b&gt;"),
        ("Say \"quoted\" & 'single'", "quoted", "Say &quot;<mark>quoted</mark>&quot; &amp; &#x27;single&#x27;"),
        ("Tom & Jerry", "amp", "Tom &amp; Jerry"),  # an entity is never cut open
        ("Tom &amp; Jerry", "amp", "Tom &amp;<mark>amp</mark>; Jerry"),  # text that holds one, escaped
        ("a.b*c (torture)", ".*(", "a.b*c (torture)"),
        ("price $100 [x]", "[x] $1 \\d+ (?i)", "price $100 [x]"),
        ("mark </mark> break", "mark", "<mark>mark</mark> &lt;/<mark>mark</mark>&gt; break"),
        ('x" onmouseover="alert(1)', "onmouseover", "x&quot; <mark>onmouseover</mark>=&quot;alert(1)"),
    ],
)
def test_hostile_text_and_queries_stay_text(text, query, expected):
    assert highlight(text, query) == expected


def test_html_already_made_is_marked_only_between_its_tags():
    value = mark_safe('<span lang="en" title="torture">Torture &amp; rights</span>')
    assert highlight(value, "torture lang span") == (
        '<span lang="en" title="torture"><mark>Torture</mark> &amp; rights</span>'
    )


@pytest.mark.django_db
def test_the_search_page_marks_titles_and_summaries(client):
    make_round(summary="Torture prevention <b>was</b> raised.")
    html = client.get(reverse("search"), {"q": "torture"}).content.decode()
    assert "<mark>Torture</mark> prevention &lt;b&gt;was&lt;/b&gt; raised." in html
    html = client.get(reverse("search"), {"q": "<script>alert(1)</script> torture"}).content.decode()
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_listings_with_a_query_mark_their_rows(client):
    make_project(title="Torture prevention in prisons")
    make_seminar(title="Seminar on torture")
    make_round(format="subcommittee", summary="")
    assert (
        "<mark>Torture</mark> prevention in prisons"
        in client.get(reverse("project-list"), {"q": "torture"}).content.decode()
    )
    assert "Seminar on <mark>torture</mark>" in client.get(reverse("seminar-list"), {"q": "torture"}).content.decode()
    rounds = client.get(reverse("dialogueround-list"), {"q": "sub-committee"}).content.decode()
    assert "<mark>Sub</mark>-<mark>Committee</mark> on Justice" in rounds
    assert "<mark>" not in client.get(reverse("project-list")).content.decode()  # no query, no marks
