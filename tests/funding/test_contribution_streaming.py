"""The known EU contribution, computed whole (funding/aggregates.py rule_cells, when its cells are
rebuilt), reads its groups a chunk at a time (streamed): the figure is the same, and on
PostgreSQL the planner setting it reads them with is put back."""

import datetime

import pytest
from django.db import connection

from funding import aggregates

from ..factories import make_country, make_project


def cursor_tuple_fraction():
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        return cursor.fetchone()[0]


@pytest.fixture
def funded(db, monkeypatch):
    monkeypatch.setattr(aggregates, "GROUPS_PER_FETCH", 2)  # several chunks from a few groups
    country = make_country()
    for year, amount in ((2008, 100), (2009, 200), (2010, 300), (2011, 400), (2012, 500)):
        starts = {"starts_on": datetime.date(year, 1, 1), "starts_on_precision": "year"}
        make_project(countries=[country], eu_contribution_eur=amount, **starts)
    return country


def test_every_chunk_of_groups_counts(funded):
    cells = aggregates.rule_cells()
    for scope in (None, funded.pk):
        assert sum(cell.amount for key, cell in cells.items() if key[0] == scope) == 1500
    assert sorted(year for scope, _programme, year in cells if scope is None) == [2008, 2009, 2010, 2011, 2012]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_planner_setting_is_put_back_after_reading_and_after_a_failure(funded, monkeypatch):
    before = cursor_tuple_fraction()
    aggregates.rule_cells()
    assert cursor_tuple_fraction() == before

    def failing_add(self, other):
        raise RuntimeError("a bug while folding the groups")

    monkeypatch.setattr(aggregates.Cell, "__add__", failing_add)
    with pytest.raises(RuntimeError):
        aggregates.rule_cells()
    assert cursor_tuple_fraction() == before
