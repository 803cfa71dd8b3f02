"""The editors' admin at each size (issue 18): the project, round and seminar changelists (first
page, filtered, searched, a deep page) and a project's change form, each as a superuser, beside
its floor: the changelist's own query for its page of rows (captured from the request, then sent
again through psycopg, no Python around it). bench/measure.py measures them; not part of the suite.
"""

import re

from dialogues.models import Country, DialogueRound, Topic
from funding.models import Project
from seminars.models import Seminar

TARGET = 10  # a changelist at most 10x its floor at p50
PER_PAGE = 100


def changelists():
    """[(name, admin URL, model)] of the changelists measured, with the filters editors use."""
    country = Country.objects.published().get(iso_code="KZ")
    topic = Topic.objects.published().order_by("pk").first()
    middle = {model: max(1, model.objects.count() // 2 // PER_PAGE) for model in (Project, DialogueRound, Seminar)}
    projects, rounds = "/admin/funding/project/", "/admin/dialogues/dialogueround/"
    seminars = "/admin/seminars/seminar/"
    both = f"countries__id__exact={country.pk}&topics__id__exact={topic.pk}"
    return [
        ("Projects, first page", projects, Project),
        ("Projects, country + topic", f"{projects}?{both}", Project),
        ("Projects, search `torture`", f"{projects}?q=torture", Project),
        ("Projects, deep page", f"{projects}?p={middle[Project]}", Project),
        ("Rounds, first page", rounds, DialogueRound),
        ("Rounds, country", f"{rounds}?country__id__exact={country.pk}", DialogueRound),
        ("Rounds, search `prison`", f"{rounds}?q=prison", DialogueRound),
        ("Rounds, deep page", f"{rounds}?p={middle[DialogueRound]}", DialogueRound),
        ("Seminars, first page", seminars, Seminar),
        ("Seminars, country", f"{seminars}?countries__id__exact={country.pk}", Seminar),
        ("Seminars, search `media`", f"{seminars}?q=media", Seminar),
        ("Seminars, deep page", f"{seminars}?p={middle[Seminar]}", Seminar),
    ]


def page_query(captured, model):
    """The SQL of the changelist's page of rows: the query of the model's table with its LIMIT."""
    table = re.escape(model._meta.db_table)
    pattern = re.compile(rf'FROM "{table}"')
    for query in captured:
        if pattern.search(query["sql"]) and f"LIMIT {PER_PAGE}" in query["sql"]:
            return query["sql"]
    raise SystemExit(f"no page query of {model._meta.db_table} among {len(captured)}")
