"""The summary tables are kept up to date by each edit (funding/summaries.py): after every kind
of edit the known contribution's cells and the projects' counts equal their figures computed
whole, and a write that cannot say what it changed leaves them to be rebuilt."""

import datetime
import io
import random
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from dialogues.import_bulk import written_in_bulk
from dialogues.models import Country
from funding import aggregates
from funding.models import (
    Call,
    ContributionCell,
    ContributionYear,
    Project,
    ProjectCount,
    ProjectSourceKind,
    SummaryLedger,
)
from funding.summaries import (
    computed_tables,
    project_counts,
    project_counts_of,
    rebuild,
    stored_cells,
    stored_tables,
)
from tests.factories import DRAFT, PUBLISHED, make_call, make_country, make_programme, make_project, make_topic


def built():
    return SummaryLedger.objects.filter(pk=1, built=True).exists()


def assert_kept_up_to_date(step="", *, maintained=True):
    """The stored tables hold the figures of the records as they are, and (`maintained`) no edit
    had to leave them to be rebuilt."""
    assert built() is maintained, step
    assert stored_cells() == aggregates.rule_cells(), step
    assert stored_tables() == computed_tables(), step  # the cells' sums by year and the counts too
    assert project_counts() == project_counts_of(Project.objects.all()), step


def year(value):
    return {"starts_on": datetime.date(value, 1, 1), "starts_on_precision": "year"}


@pytest.fixture
def world(db):
    """Two countries, two programmes, a package with a part, a call, and projects under them."""
    kz, kg = make_country("KZ"), make_country("KG")
    eidhr, other = make_programme(), make_programme()
    package = make_call(programme=eidhr, country=kz, year=2010, total_amount_eur=Decimal(5000))
    part = make_call(programme=eidhr, country=kz, year=2010, total_amount_eur=Decimal(2000), parent=package)
    regional = make_call(programme=other, year=2012, total_amount_eur=Decimal(900))
    projects = [
        make_project(programme=eidhr, call=part, countries=[kz], eu_contribution_eur=Decimal(700), **year(2010)),
        make_project(programme=eidhr, call=package, countries=[kz, kg], eu_contribution_eur=Decimal(300)),
        make_project(programme=other, call=regional, countries=[kg], **year(2012)),
        make_project(programme=other, countries=[kz, kg], eu_contribution_eur=Decimal(150), **year(2013)),
        make_project(programme=eidhr, countries=[kg], eu_contribution_eur=Decimal(80), **year(2013)),
    ]
    topics = [make_topic(), make_topic()]
    projects[2].topics.set(topics)
    return {
        "countries": [kz, kg],
        "programmes": [eidhr, other],
        "calls": [package, part, regional],
        "projects": projects,
        "topics": topics,
    }


def test_a_new_database_starts_with_its_tables_built(db):
    assert built() and not ContributionCell.objects.exists() and not ProjectCount.objects.exists()


def test_the_records_made_one_by_one_keep_the_cells_up_to_date(world):
    assert ContributionCell.objects.exists()
    assert_kept_up_to_date()


def saved(record, **changes):
    for name, value in changes.items():
        setattr(record, name, value)
    record.save()


def edits(world):
    """(description, edit) of each kind of edit the cells follow."""
    kz, kg = world["countries"]
    eidhr, other = world["programmes"]
    package, part, regional = world["calls"]
    first, second, third, fourth, fifth = world["projects"]
    topics = world["topics"]
    return [
        ("an amount changed", lambda: saved(first, eu_contribution_eur=Decimal(750))),
        ("an amount removed", lambda: saved(fourth, eu_contribution_eur=None)),
        ("an amount stated again", lambda: saved(fourth, eu_contribution_eur=Decimal(60))),
        ("a project unpublished", lambda: saved(fifth, publication_status=DRAFT)),
        ("a project published again", lambda: saved(fifth, publication_status=PUBLISHED)),
        ("a project moved to another programme", lambda: saved(fifth, programme=other)),
        ("a start year changed", lambda: saved(fourth, **year(2015))),
        ("a country added", lambda: fifth.countries.add(kz)),
        ("a country removed", lambda: first.countries.remove(kz)),
        ("the countries set", lambda: first.countries.set([kg, kz])),
        ("the countries cleared", lambda: fourth.countries.clear()),
        ("a topic added", lambda: first.topics.add(topics[0], topics[1])),
        ("a topic removed", lambda: first.topics.remove(topics[0])),
        ("the topics set", lambda: second.topics.set([topics[1]])),
        ("the topics cleared", lambda: first.topics.clear()),
        ("a project put under a call", lambda: saved(fourth, call=regional)),
        ("a project taken out of its call", lambda: saved(second, call=None)),
        ("a call's total removed", lambda: saved(part, total_amount_eur=None)),
        ("a call's total stated again", lambda: saved(part, total_amount_eur=Decimal(2500))),
        ("a package unpublished", lambda: saved(package, publication_status=DRAFT)),
        ("a package published again", lambda: saved(package, publication_status=PUBLISHED)),
        ("a call's country changed", lambda: saved(part, country=kg)),
        ("a call made a part of a package", lambda: saved(regional, parent=package)),
        ("a call's year changed", lambda: saved(package, year=2011)),
        ("a programme unpublished", lambda: saved(eidhr, publication_status=DRAFT)),
        ("a programme published again", lambda: saved(eidhr, publication_status=PUBLISHED)),
        ("a project marked as another's duplicate", lambda: saved(fifth, duplicate_of=fourth)),
        ("an IATI activity under a parent", lambda: make_iati_child(parent=third, countries=[kg])),
        ("a child's parent unpublished", lambda: saved(third, publication_status=DRAFT)),
        ("a new project in a package", lambda: make_project(programme=eidhr, call=package, countries=[kz])),
        ("a new call", lambda: make_call(programme=other, country=kg, year=2014, total_amount_eur=Decimal(10))),
        ("a new programme", lambda: make_programme()),
    ]


def make_iati_child(*, parent, countries):
    parent.source_kind, parent.iati_identifier = ProjectSourceKind.IATI, "XX-TEST-PARENT"
    parent.save()
    return make_project(
        countries=countries,
        source_kind=ProjectSourceKind.IATI,
        iati_identifier="XX-TEST-CHILD",
        iati_parent=parent,
        eu_contribution_eur=Decimal(40),
        **year(2012),
    )


def test_every_kind_of_edit_keeps_the_cells_up_to_date(world):
    for description, edit in edits(world):
        with transaction.atomic():  # as the admin's and the API's saves are
            edit()
        assert_kept_up_to_date(description)


def test_a_random_series_of_edits_keeps_them_up_to_date(world):
    """Edits in an order no one chose, on records changed by the edits before them."""
    chooser = random.Random(18)
    kz, kg = world["countries"]
    programmes, calls, projects = world["programmes"], world["calls"], world["projects"]
    amounts = [None, Decimal(1), Decimal(250), Decimal(1234.5)]

    def random_edit():
        project, call = chooser.choice(projects), chooser.choice(calls)
        return chooser.choice(
            [
                lambda: saved(project, eu_contribution_eur=chooser.choice(amounts)),
                lambda: saved(project, publication_status=chooser.choice([DRAFT, PUBLISHED])),
                lambda: saved(project, programme=chooser.choice(programmes)),
                lambda: saved(project, call=chooser.choice([None, *calls])),
                lambda: saved(project, **year(chooser.choice([2009, 2010, 2011]))),
                lambda: project.countries.set(chooser.sample([kz, kg], chooser.choice([1, 2]))),
                lambda: project.topics.set(chooser.sample(world["topics"], chooser.choice([0, 1, 2]))),
                lambda: saved(call, total_amount_eur=chooser.choice(amounts[1:] + [None])),
                lambda: saved(call, publication_status=chooser.choice([DRAFT, PUBLISHED])),
                lambda: saved(call, country=chooser.choice([None, kz, kg])),
                lambda: saved(chooser.choice(programmes), publication_status=chooser.choice([DRAFT, PUBLISHED])),
            ]
        )

    for n in range(80):
        with transaction.atomic():
            random_edit()()
        assert_kept_up_to_date(f"edit {n}")


def test_an_edit_that_fails_leaves_the_cells_as_they_were(world):
    first = world["projects"][0]
    before = stored_cells()
    with pytest.raises(IntegrityError), transaction.atomic():
        saved(first, eu_contribution_eur=Decimal(1))
        Project.objects.filter(pk=first.pk).update(eu_contribution_eur=-1)  # refused by the database
    assert stored_cells() == before
    assert_kept_up_to_date()


@pytest.mark.parametrize(
    "delete",
    [
        lambda world: world["projects"][0].delete(),
        lambda world: Project.objects.filter(pk__in=[p.pk for p in world["projects"][:2]]).delete(),
        lambda world: Call.objects.filter(pk=world["calls"][2].pk).delete(),  # its project's call goes null
        lambda world: world["countries"][1].projects.clear(),
        lambda world: world["topics"][0].projects.clear(),
        lambda world: world["topics"][1].delete(),
    ],
    ids=["a project", "projects", "a call", "a country's projects", "a topic's projects", "a topic"],
)
def test_a_deletion_leaves_the_cells_to_be_rebuilt_by_the_next_read(world, delete):
    delete(world)
    assert not built()
    assert_kept_up_to_date(maintained=False)  # rebuilt, and right
    assert built()


def test_bulk_writes_rebuild_the_cells_in_their_transaction(world):
    with transaction.atomic():
        Project.objects.update(eu_contribution_eur=Decimal(5))  # no signal
        written_in_bulk.send(sender=Project)
        assert_kept_up_to_date()


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_a_transaction_leaves_them_to_be_rebuilt():
    project = make_project(countries=[make_country("KZ")], eu_contribution_eur=Decimal(10))
    assert not built()
    assert aggregates.known_contribution().total == Decimal(10)
    assert built()
    saved(project, eu_contribution_eur=Decimal(20))
    assert_kept_up_to_date(maintained=False)


def test_the_figures_are_read_in_one_query_however_many_records(world, django_assert_num_queries):
    for _ in range(30):
        make_project(programme=world["programmes"][0], countries=world["countries"], **year(2001))
    with django_assert_num_queries(1):  # the cells, if the ledger says they are built
        stored_cells()
    with django_assert_num_queries(1):
        project_counts()


def test_a_read_of_tables_a_write_cleared_rebuilds_them_first(world):
    SummaryLedger.objects.update(built=False)  # as an edit outside a transaction leaves it
    make_project(programme=world["programmes"][0], countries=world["countries"], eu_contribution_eur=7, **year(2001))
    assert stored_cells() == aggregates.rule_cells()
    assert project_counts() == project_counts_of(Project.objects.all())
    assert SummaryLedger.objects.get().built


def test_an_edit_adjusts_them_in_the_same_queries_however_many_records_share_its_cells(world):
    programme, countries = world["programmes"][1], world["countries"]
    project = world["projects"][3]

    def edit_queries(amount):
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            saved(project, eu_contribution_eur=Decimal(amount))
        return [query["sql"] for query in captured.captured_queries]

    few = edit_queries(151)
    for _ in range(25):
        make_project(programme=programme, countries=countries, eu_contribution_eur=Decimal(3), **year(2013))
    many = edit_queries(152)
    assert len(many) == len(few)
    # the ledger's lock, the former parent, the cells before and after, the stored ones, their update
    assert sum("funding_contribution" in sql or 'funding_project"."iati_parent_id" AS' in sql for sql in many) >= 3
    assert_kept_up_to_date()


def test_the_database_refuses_an_empty_count_and_a_second_one_for_a_key(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectCount.objects.create(scope=0, topic=0, projects=0)
    ProjectCount.objects.create(scope=0, topic=0, projects=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectCount.objects.create(scope=0, topic=0, projects=2)


def test_the_database_refuses_an_empty_cell_and_a_second_one_for_a_key(db):
    fields = {"amount_eur": 0, "calls": 0, "projects": 0, "projects_iati": 0, "projects_amount_unknown": 0}
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionCell.objects.create(scope=0, programme=0, year=0, **fields)
    ContributionCell.objects.create(scope=0, programme=0, year=0, **{**fields, "projects": 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionCell.objects.create(scope=0, programme=0, year=0, **{**fields, "projects": 2})
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionCell.objects.create(scope=1, programme=0, year=0, **{**fields, "projects_iati": 1})


def test_a_forced_rebuild_of_right_cells_changes_nothing(world):
    before = stored_cells()
    rebuild(force=True)
    assert stored_cells() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections editing at once")
def test_edits_made_at_once_in_two_transactions_both_count():
    """Each locks the ledger: the second adjusts the cells after the first has committed."""
    country = make_country("KZ")
    programme = make_programme()
    projects = [
        make_project(programme=programme, countries=[country], eu_contribution_eur=Decimal(10), **year(2010))
        for _ in range(2)
    ]
    rebuild(force=True)
    first_saved, finish_first = threading.Event(), threading.Event()

    def edit(project, amount, *, hold=False):
        try:
            with transaction.atomic():
                saved(project, eu_contribution_eur=Decimal(amount))
                if hold:
                    first_saved.set()
                    finish_first.wait(10)
        finally:
            connection.close()

    first = threading.Thread(target=edit, args=(projects[0], 100), kwargs={"hold": True})
    first.start()
    assert first_saved.wait(10)
    second = threading.Thread(target=edit, args=(projects[1], 1000))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the ledger's lock
    finish_first.set()
    first.join(10)
    second.join(10)
    assert aggregates.rule_cells()[None, programme.pk, 2010].amount == Decimal(1100)
    assert_kept_up_to_date()


def test_the_command_says_whether_the_cells_were_right_and_rebuilds_them(world):
    out = io.StringIO()
    call_command("rebuild_summaries", stdout=out)
    assert "were right" in out.getvalue()
    ProjectCount.objects.filter(scope=0).update(projects=1000)  # a write by hand
    call_command("rebuild_summaries", stdout=out)
    assert "differed" in out.getvalue()
    assert_kept_up_to_date()
    out = io.StringIO()
    ContributionYear.objects.filter(scope=0).update(amount_eur=1)
    call_command("rebuild_summaries", stdout=out)
    assert "differed" in out.getvalue()
    assert_kept_up_to_date()


def test_the_totals_and_one_scopes_figures_equal_those_folded_from_every_cell(world):
    """The home page's six totals come from one grouped query, a scope's figures from its cells
    only: the same as the rule's cells of every scope folded (funding/aggregates.py)."""
    cells = aggregates.rule_cells()
    scopes = {scope for scope, _programme, _year in cells}
    for scope in scopes:
        counted = [cell for (where, _p, _y), cell in cells.items() if where == scope and cell.counted]
        expected = sum((cell.amount for cell in counted), Decimal(0)) if counted else None
        country = None if scope is None else Country.objects.get(pk=scope)
        assert aggregates.known_contribution(country=country).total == expected
        assert aggregates.known_totals().get(scope) == expected
    assert aggregates.known_by_year() == aggregates.known_contribution().by_year  # the home page's chart
    unknown_only = make_country("TJ")
    with transaction.atomic():
        make_project(countries=[unknown_only])  # no amount stated
    assert unknown_only.pk not in aggregates.known_totals()
    figure = aggregates.known_contribution(country=unknown_only)
    assert figure.total is None and figure.projects_amount_unknown == 1


def test_the_database_refuses_a_sum_by_year_of_nothing_and_a_second_one_for_a_key(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionYear.objects.create(scope=0, year=0, amount_eur=0, records=0)
    ContributionYear.objects.create(scope=0, year=0, amount_eur=0, records=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionYear.objects.create(scope=0, year=0, amount_eur=5, records=1)


def test_the_sums_by_year_equal_the_counted_cells_summed_and_leave_out_unknown_years(world):
    """A year where projects have no stated amount has no sum (its figure is unknown, not 0)."""
    with transaction.atomic():
        make_project(programme=world["programmes"][0], countries=world["countries"][:1], **year(1999))
    sums = {}
    for (scope, _programme, when), cell in aggregates.rule_cells().items():
        if cell.counted:
            sums[scope, when] = sums.get((scope, when), Decimal(0)) + cell.amount
    assert {key: value.amount for key, value in stored_tables()[1].items()} == sums
    assert (None, 1999) not in sums
    assert_kept_up_to_date()
