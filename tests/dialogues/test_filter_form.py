"""The listings' filter form: options with records first and the rest folded, "Any" for an empty
choice, a reversed range said at its field (and a 400 in the API), no empty parameters in the URL."""

import datetime

import django_filters
import pytest
from django.urls import reverse

from dialogues.filtersets import FilterForm
from tests.factories import make_country, make_project, make_round, make_seminar, make_topic

pytestmark = pytest.mark.django_db


def test_options_with_records_come_first_and_the_others_are_folded(client):
    used, unused, other = make_topic(name="Torture"), make_topic(name="Youth"), make_topic(name="Labour")
    make_round(topics=[used])
    html = client.get(reverse("dialogueround-list")).content.decode()
    form = html[html.index("<legend>Topic") :]
    shown, folded = form.split('<details class="more-options">', 1)
    assert "Torture (1)" in shown and "Youth" not in shown
    folded = folded[: folded.index("</details>")]
    assert "<summary>2 more with no records</summary>" in folded
    assert f'value="{unused.slug}"' in folded and f'value="{other.slug}"' in folded
    assert "(0)" not in folded


def test_a_checked_option_stays_in_view_even_without_records(client):
    kazakhstan = make_country("KZ", name="Kazakhstan")
    topic = make_topic(name="Youth")
    make_round(country=kazakhstan)
    html = client.get(reverse("dialogueround-list"), {"topic": topic.slug, "country": "KZ"}).content.decode()
    countries, topics = (
        html[html.index("<legend>Country") : html.index("<legend>Topic")],
        html[html.index("<legend>Topic") :],
    )
    assert "Youth (0)" in topics.split("<details", 1)[0]  # no rows at all: what is checked stays in view
    assert "Kazakhstan (0)" in countries and "<details" not in countries


def test_without_counts_every_option_is_shown(client, monkeypatch):
    from dialogues.listing import FilteredListView

    make_topic(name="Youth")
    make_round()
    monkeypatch.setattr(FilteredListView, "count_options", lambda self, valid: {})
    html = client.get(reverse("dialogueround-list")).content.decode()
    assert "Youth" in html and "more with no records" not in html


def test_empty_choices_read_any(client):
    make_round()
    html = client.get(reverse("dialogueround-list")).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>Any</option>' in html
    assert '<option value="" selected>Default order</option>' in html
    concerns = client.get(reverse("concern-list")).content.decode()
    assert "Unknown" not in concerns and '<option value="" selected>Any</option>' in concerns


@pytest.mark.parametrize(
    ("url_name", "query", "field"),
    [
        ("dialogueround-list", {"year_from": 2012, "year_to": 2009}, "year_to"),
        ("seminar-list", {"year_from": 2012, "year_to": 2009}, "year_to"),
        ("project-list", {"year_from": 2012, "year_to": 2009}, "year_to"),
        ("project-list", {"min_amount": 5000, "max_amount": 100}, "max_amount"),
    ],
)
def test_a_reversed_range_is_said_at_its_field(client, url_name, query, field):
    make_round(held_on=datetime.date(2010, 5, 1))
    make_seminar(held_on=datetime.date(2010, 5, 1))
    make_project(starts_on=datetime.date(2010, 5, 1), starts_on_precision="day")
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    assert not response.context["filter_is_valid"]
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>This must not be less than' in html
    assert "Some filters could not be understood" in html


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/dialogue-rounds/", "year_from=2012&year_to=2009", "year_to"),
        ("/api/v1/seminars/", "year_from=2012&year_to=2009", "year_to"),
        ("/api/v1/projects/", "year_from=2012&year_to=2009", "year_to"),
        ("/api/v1/projects/", "min_amount=5000&max_amount=100", "max_amount"),
        ("/api/v1/concerns/", "year_from=2012&year_to=2009", "year_to"),
    ],
)
def test_the_api_answers_a_reversed_range_with_a_400_naming_it(api, path, query, field):
    response = api.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "must not be less than" in response.json()[field][0]


def test_an_equal_or_open_range_is_fine(client):
    make_round(held_on=datetime.date(2010, 5, 1))
    url = reverse("dialogueround-list")
    assert client.get(url, {"year_from": 2010, "year_to": 2010}).context["paginator"].count == 1
    assert client.get(url, {"year_to": 2010}).context["paginator"].count == 1


def every_filterset():
    pending, found = [django_filters.FilterSet], []
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in ("dialogues", "funding", "seminars", "dialogues_portal"):
                found.append(subclass)
    return found


def test_every_filterset_uses_the_portal_form():
    import dialogues_portal.urls  # noqa: F401 - every view, and so every FilterSet, imported

    filtersets = every_filterset()
    assert len(filtersets) >= 10
    assert [f.__name__ for f in filtersets if not issubclass(f._meta.form, FilterForm)] == []


def test_empty_parameters_are_dropped_by_a_redirect_keeping_the_others_in_order(client):
    url = reverse("dialogueround-list")
    response = client.get(f"{url}?country=KZ&topic=&year_from=&country=kg&q=torture+%C3%A9&ordering=")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?country=KZ&country=kg&q=torture+%C3%A9"
    response = client.get(f"{url}?topic=&year_from=&q=")
    assert response.status_code == 302 and response["Location"] == url
    make_round()
    assert client.get(f"{url}?country=KZ").status_code == 200  # nothing to drop: no redirect
