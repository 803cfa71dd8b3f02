"""Every listing has one order, ties included: page-numbered pages neither repeat nor skip a record
whose sorted value (a name, a title, a date, an amount) it shares with others."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import F, OrderBy

from funding.filtersets import ProjectFilterSet
from funding.models import Project

from .factories import make_organisation, make_project

LISTED_MODELS = [
    "dialogues.Source",
    "dialogues.Topic",
    "dialogues.Country",
    "dialogues.Organisation",
    "dialogues.Place",
    "dialogues.DialogueRound",
    "funding.Programme",
    "funding.Call",
    "funding.Project",
    "seminars.Seminar",
]


def last_field(model):
    last = model._meta.ordering[-1]
    if isinstance(last, OrderBy):
        last = last.expression
    name = last.name if isinstance(last, F) else last.lstrip("-")
    return model._meta.pk if name in ("id", "pk") else model._meta.get_field(name)


@pytest.mark.parametrize("label", LISTED_MODELS)
def test_every_default_order_ends_with_a_unique_field(label):
    field = last_field(apps.get_model(label))
    assert field.unique, f"{label} is ordered last by {field.name}, which records may share"


@pytest.mark.parametrize("ordering", ["start", "-start", "amount", "-amount", "title", "-title"])
def test_every_chosen_order_ends_with_the_id(ordering):
    queryset = ProjectFilterSet({"ordering": ordering}, queryset=Project.objects.all()).qs
    assert queryset.query.order_by[-1] == "-pk"


def every_page(api, url):
    ids, page = [], 1
    while True:
        response = api.get(f"{url}&page={page}")
        assert response.status_code == 200
        body = response.json()
        ids += [record["id"] for record in body["results"]]
        if not body["next"]:
            return ids
        page += 1


@pytest.mark.django_db
def test_pages_sorted_by_a_shared_amount_hold_every_project_once(api):
    projects = [make_project(title="Same title", eu_contribution_eur=Decimal(1000)) for _ in range(12)]
    ids = every_page(api, "/api/v1/projects/?ordering=-amount&page_size=5")
    assert sorted(ids) == sorted(project.pk for project in projects)


@pytest.mark.django_db
def test_pages_of_organisations_with_one_name_hold_each_once(api):
    organisations = [make_organisation(name="Public Foundation", slug=f"public-foundation-{n}") for n in range(12)]
    ids = every_page(api, "/api/v1/organisations/?page_size=5")
    assert sorted(ids) == sorted(organisation.pk for organisation in organisations)
