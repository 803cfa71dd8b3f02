"""Synthetic data: reproducible, marked, never mixed with the real records."""

import pytest
from django.apps import apps
from django.core.management import call_command

from dialogues.models import Source
from funding.models import Project
from seminars.models import Seminar

pytestmark = pytest.mark.django_db(transaction=True)


def synthetic_snapshot():
    return list(
        Project.objects.filter(is_synthetic=True)
        .order_by("pk")
        .values_list("title", "eu_contribution_eur", "starts_on", "starts_on_precision", "programme__name")
    )


def test_generates_the_requested_number_of_marked_records(real_data):
    call_command("generate_synthetic_data", projects=300, seed=7, verbosity=0)
    assert Project.objects.filter(is_synthetic=True).count() == 300
    synthetic = Source.objects.get(is_synthetic=True)
    for project in Project.objects.filter(is_synthetic=True).prefetch_related("sources", "countries")[:50]:
        assert project.title.startswith("Synthetic")
        assert list(project.sources.all()) == [synthetic]
        assert project.countries.count() == 1
    assert Seminar.objects.filter(is_synthetic=True).exists()
    # every synthetic row of every model carries the flag and cites the synthetic source only
    for model in (m for app in ("dialogues", "seminars", "funding") for m in apps.get_app_config(app).get_models()):
        if hasattr(model, "is_synthetic") and hasattr(model, "sources") and not hasattr(model, "history_id"):
            assert not model.objects.filter(is_synthetic=True).exclude(sources=synthetic).exists(), model
            assert not model.objects.filter(is_synthetic=False, sources=synthetic).exists(), model


def test_the_same_seed_gives_the_same_data(real_data):
    call_command("generate_synthetic_data", projects=200, seed=3, verbosity=0)
    first = synthetic_snapshot()
    call_command("generate_synthetic_data", projects=200, seed=3, verbosity=0)  # replaces the previous run
    assert synthetic_snapshot() == first
    call_command("generate_synthetic_data", projects=200, seed=4, verbosity=0)
    assert synthetic_snapshot() != first


def test_generating_and_deleting_drop_the_cached_figures(real_data):
    from funding.aggregates import known_contribution

    before = known_contribution()
    call_command("generate_synthetic_data", projects=50, verbosity=0)
    assert known_contribution() != before  # not the cached figure of the real data alone
    call_command("generate_synthetic_data", delete=True, verbosity=0)
    assert known_contribution() == before


def test_deleting_synthetic_data_leaves_the_real_records_alone(real_data):
    real_projects = set(Project.objects.values_list("pk", flat=True))
    call_command("generate_synthetic_data", projects=100, verbosity=0)
    call_command("generate_synthetic_data", delete=True, verbosity=0)
    assert set(Project.objects.values_list("pk", flat=True)) == real_projects
    assert not Source.objects.filter(is_synthetic=True).exists()
    # the sequences moved on: a new record gets a fresh id
    call_command("generate_synthetic_data", projects=5, verbosity=0)
    assert Project.objects.filter(is_synthetic=True).count() == 5
