"""A concern's status strip is written by the status_marks tag (dialogues/templatetags/portal.py):
the same HTML the template loop it replaced wrote (kept below as the reference), in English and in
Russian, whole, cut to its latest rounds with the earlier ones counted, and empty."""

import pytest
from django.template import Context, Template
from django.utils import translation

from dialogues import tracker
from dialogues.tracker import concern_states
from tests.factories import held, make_concern, make_country, make_entry

pytestmark = pytest.mark.django_db

# templates/includes/status_marks.html as it was (commit 15411b7)
LOOP = (
    '{% load i18n portal %}{% if marks %}{% if earlier %}<span class="muted">{% blocktranslate count '
    "counter=earlier %}{{ counter }} earlier round not shown{% plural %}{{ counter }} earlier rounds not "
    'shown{% endblocktranslate %}</span> {% endif %}<ol class="status-strip" aria-label="{% translate '
    '"Status at each round" %}">{% for mark in marks %}<li class="status-mark status-{{ mark.status|'
    'default:"none" }}" title="{{ mark.dialogue_round.held_text }}: {% if mark.entry %}{{ mark.entry.'
    'get_status_display }}{% else %}{% translate "nothing recorded" %}{% endif %}"><span class="visually-'
    'hidden">{{ mark.dialogue_round.held_text }}: {% if mark.entry %}{{ mark.entry.get_status_display }}'
    '{% else %}{% translate "nothing recorded" %}{% endif %}</span></li>{% endfor %}</ol>{% endif %}'
)
TAG = "{% load portal %}{% status_marks marks earlier %}"


@pytest.fixture
def state(monkeypatch):
    monkeypatch.setattr(tracker, "RECENT_MARKS", 2)
    country = make_country()
    concern = make_concern(country=country)
    rounds = [held(country, year) for year in (2012, 2013, 2014, 2015)]
    make_entry(concern, rounds[0], status="raised")
    make_entry(concern, rounds[2], status="progress")
    return concern_states([concern])[concern.pk]


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("part", ["whole", "recent", "none"])
def test_the_tag_writes_what_the_template_loop_wrote(state, language, part):
    marks, earlier = {
        "whole": (state.strip, 0),
        "recent": (state.recent_strip, state.earlier_marks),
        "none": ([], 0),
    }[part]
    context = {"marks": marks, "earlier": earlier}
    with translation.override(language):
        assert Template(TAG).render(Context(context)) == Template(LOOP).render(Context(context))
    if part == "recent":
        assert earlier == 2 and len(marks) == 2
    if part == "whole":
        assert len(marks) == 4 and "status-none" in Template(TAG).render(Context(context))
