"""Record pages name what the sources do not say in one compact line ("Not stated by the sources:
places, EU contribution, ...") instead of a row of "unknown" each, and show as rows, as stated,
the values a source does give."""

import datetime
import re
from decimal import Decimal

import pytest

from tests.factories import make_organisation, make_place, make_programme, make_project, make_round, make_seminar

pytestmark = pytest.mark.django_db


def facts(html):
    return html[html.index('<dl class="facts">') : html.index("</dl>")]


def not_stated(html):
    found = re.search(r'<p class="muted not-stated">Not stated by the sources: ([^<]*)\.</p>', html)
    return found.group(1).split(", ") if found else []


def test_a_project_with_few_facts_has_one_line_for_the_rest_and_its_stated_duration(client):
    project = make_project(duration_note="from one to three years")
    html = client.get(project.get_absolute_url()).content.decode()
    assert "unknown" not in facts(html)
    assert not_stated(html) == ["places", "implementing organisation", "EU contribution", "start", "end", "status"]
    assert "<dt>Duration</dt><dd>as the source gives it: from one to three years" in html


def test_a_project_that_states_everything_has_no_line(client):
    organisation = make_organisation(name="Legal Aid Centre")
    project = make_project(
        implementing_organisation=organisation,
        eu_contribution_eur=Decimal("250000"),
        starts_on=datetime.date(2010, 1, 1),
        starts_on_precision="month",
        ends_on=datetime.date(2012, 1, 1),
        ends_on_precision="month",
        duration_months=24,
        status="completed",
    )
    project.places.set([make_place(project.countries.first(), name="Almaty")])
    html = client.get(project.get_absolute_url()).content.decode()
    assert not_stated(html) == [] and "Not stated by the sources" not in html
    assert "Legal Aid Centre" in facts(html) and "24 months" in facts(html) and "January 2010" in facts(html)


def test_a_seminar_names_what_its_sources_leave_out(client):
    seminar = make_seminar(held_on=None, held_on_precision="", date_note="autumn 2011", city="", online=True)
    html = client.get(seminar.get_absolute_url()).content.decode()
    assert "unknown" not in facts(html)
    assert not_stated(html) == ["dialogue round", "participating organisations", "organisers"]
    assert "“autumn 2011”" in facts(html) and "(online)" in facts(html)


def test_a_seminar_with_a_round_and_a_city_shows_them(client):
    round_ = make_round()
    seminar = make_seminar(city="Bishkek", dialogue_round=round_, participating_organisations=0)
    html = client.get(seminar.get_absolute_url()).content.decode()
    assert "Bishkek" in facts(html) and round_.get_absolute_url() in facts(html)
    assert not_stated(html) == ["organisers"]  # 0 organisations is a stated number


def test_a_programme_names_what_its_sources_leave_out(client):
    programme = make_programme(scope="regional")
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "unknown" not in facts(html)
    assert not_stated(html) == ["date established", "countries covered", "envelope", "predecessor"]
