"""English pages give dates in the British style ("25 November 2026", "June 2008"), never the
American ("Nov. 25, 2026", "November 25, 2026", "11/25/2026"), wherever a page prints one."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats, translation

from tests.factories import make_country, make_project, make_round, make_seminar

pytestmark = pytest.mark.django_db

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
AMERICAN = [
    re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}\b"),
    re.compile(rf"\b({MONTHS}) \d{{1,2}}, \d{{4}}"),
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
    re.compile(r"\d [ap]\.m\."),
]


def test_the_english_formats_are_british():
    day, moment = datetime.date(2026, 11, 25), datetime.datetime(2026, 11, 25, 14, 5)
    with translation.override("en"):
        assert formats.date_format(day) == "25 November 2026"
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "November 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "25 November 2026, 14:05"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "25/11/2026"


def test_pages_print_british_dates(client):
    country = make_country("KZ", name="Kazakhstan", slug="kazakhstan")
    day = {"held_on": datetime.date(2026, 11, 25), "held_on_precision": "day"}
    round_ = make_round(country=country, summary="Torture was raised.", **day)
    seminar = make_seminar(countries=[country], title="Torture seminar", **day)
    project = make_project(
        countries=[country], title="Torture project", starts_on=datetime.date(2026, 11, 25), starts_on_precision="day"
    )
    pages = [
        reverse("home"),
        reverse("dialogueround-list"),
        round_.get_absolute_url(),
        reverse("seminar-list"),
        seminar.get_absolute_url(),
        reverse("project-list"),
        project.get_absolute_url(),
        country.get_absolute_url(),
        reverse("search") + "?q=torture",
        reverse("feed-latest"),
    ]
    for url in pages:
        text = client.get(url).content.decode()
        assert [pattern.pattern for pattern in AMERICAN if pattern.search(text)] == [], url
    assert "25 November 2026" in client.get(round_.get_absolute_url()).content.decode()
    assert "25 November 2026" in client.get(project.get_absolute_url()).content.decode()
