"""On PostgreSQL each project keeps its country and topic ids in arrays, maintained by triggers on
the through tables, for the listing's index (funding/migrations/0005): they must always equal
the relations, however these change, and the filters must give what the relations give."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from funding.filtersets import ProjectFilterSet
from funding.models import Project
from tests.factories import make_country, make_project, make_topic

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the arrays exist on PostgreSQL only"),
]


def arrays(project):
    with connection.cursor() as cursor:
        cursor.execute("SELECT country_ids, topic_ids FROM funding_project WHERE id = %s", [project.pk])
        return cursor.fetchone()


def mismatches():
    """Projects whose arrays differ from their through rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM funding_project p
            WHERE p.country_ids IS DISTINCT FROM ARRAY(
                SELECT country_id FROM funding_project_countries WHERE project_id = p.id ORDER BY country_id)
            OR p.topic_ids IS DISTINCT FROM ARRAY(
                SELECT topic_id FROM funding_project_topics WHERE project_id = p.id ORDER BY topic_id)
            """
        )
        return cursor.fetchone()[0]


def test_the_arrays_follow_every_change_of_the_relations():
    kz, kg, tj = make_country(iso_code="KZ"), make_country(iso_code="KG"), make_country(iso_code="TJ")
    torture, media = make_topic(), make_topic()
    project = make_project(countries=[kz], topics=[media, torture])
    assert arrays(project) == ([kz.pk], sorted([torture.pk, media.pk]))
    project.countries.add(tj, kg)
    assert arrays(project)[0] == sorted([kz.pk, kg.pk, tj.pk])
    project.countries.remove(kz)
    project.topics.set([media])
    assert arrays(project) == (sorted([kg.pk, tj.pk]), [media.pk])
    project.topics.clear()
    tj.delete()  # its through rows go with it
    assert arrays(project) == ([kg.pk], [])
    assert mismatches() == 0


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "KZ"}, {"a", "b"}),
        ({"country": "KZ,KG"}, {"a", "b", "c"}),
        ({"topic": "media"}, {"b", "c"}),
        ({"country": "KZ", "topic": "media"}, {"b"}),
        ({"country": "KG", "topic": "torture"}, {"b"}),
        ({"country": "TJ"}, set()),
    ],
)
def test_filters_on_the_arrays_give_what_the_relations_give(query, expected):
    kz, kg = make_country(iso_code="KZ"), make_country(iso_code="KG")
    make_country(iso_code="TJ")
    torture, media = make_topic(slug="torture"), make_topic(slug="media")
    make_project(title="a", countries=[kz], topics=[torture])
    make_project(title="b", countries=[kz, kg], topics=[torture, media])
    make_project(title="c", countries=[kg], topics=[media])
    filtered = ProjectFilterSet(query, Project.objects.published()).qs
    assert '_ids" && ' in str(filtered.query)  # the arrays, not the through tables
    assert {project.title for project in filtered} == expected


def test_synthetic_data_writes_arrays_the_triggers_agree_with(real_data):
    call_command("generate_synthetic_data", projects=300, seed=7, verbosity=0)
    assert Project.objects.filter(is_synthetic=True).count() == 300
    assert mismatches() == 0


def test_an_iati_import_keeps_the_arrays_equal_to_the_relations():
    for code in ("KZ", "KG", "TJ", "TM", "UZ"):
        make_country(code)
    files = Path(__file__).parent / "iati_files"
    call_command("import_iati", str(files / "activities-2.03.xml"), verbosity=0)
    call_command("import_iati", str(files / "activities-2.03-updated.xml"), verbosity=0)
    assert Project.objects.exists() and mismatches() == 0
