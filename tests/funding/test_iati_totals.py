"""Totals count a project once (funding/aggregates.py counted_once()): a record pointing to the one
kept for the same project, and an IATI parent whose children are published, are left out."""

from decimal import Decimal

import pytest

from dialogues.cache import bump_generation
from dialogues_portal.matrix import country_topic_matrix
from funding.aggregates import contribution_of_projects, known_contribution
from funding.models import Project, ProjectSourceKind
from tests.factories import DRAFT, make_country, make_project, make_topic


@pytest.fixture
def country(db):
    return make_country("KZ")


def iati_project(country, identifier, amount, **fields):
    return make_project(
        countries=[country],
        source_kind=ProjectSourceKind.IATI,
        iati_identifier=identifier,
        eu_contribution_eur=Decimal(amount),
        **fields,
    )


def total(country=None):
    bump_generation()
    return known_contribution(country=country).total


def test_a_duplicate_is_not_counted_again(country):
    kept = iati_project(country, "XX-TEST-1", 1000)
    press_release = make_project(countries=[country], eu_contribution_eur=Decimal(900))
    assert total() == Decimal(1900)
    press_release.duplicate_of = kept
    press_release.save()
    assert total() == total(country) == Decimal(1000)
    assert contribution_of_projects(Project.objects.for_listing()).total == Decimal(1000)


def test_a_parent_with_published_children_is_not_counted_again(country):
    parent = iati_project(country, "XX-TEST-PARENT", 1000)
    child = iati_project(country, "XX-TEST-CHILD", 400, iati_parent=parent)
    assert total() == Decimal(400)
    assert contribution_of_projects(Project.objects.for_listing()).total == Decimal(400)
    child.publication_status = DRAFT
    child.save()
    assert total() == Decimal(1000)  # its children are not public: the parent's own amount counts


def test_the_matrix_counts_a_project_once(country):
    topic = make_topic()
    kept = iati_project(country, "XX-TEST-1", 1000, topics=[topic])
    make_project(countries=[country], topics=[topic], eu_contribution_eur=Decimal(900), duplicate_of=kept)
    bump_generation()
    matrix = country_topic_matrix()
    assert matrix.cells[(country.pk, topic.pk)].funding.total == Decimal(1000)
