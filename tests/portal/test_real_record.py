"""The public record of fixtures/record/ as load_real_data loads it (dialogues_portal/real_record.py):
every record sourced, numbers explained, no impossible dates, the key facts; loading is idempotent,
and a bad value in a record file stops the load, names the file and the record, and writes nothing.

The record is loaded once for the module (from the session's dump of what load_real_data leaves,
tests/conftest.py), inside a transaction rolled back at the module's end; each test still runs in
its own savepoint (the `db` fixture), so what one test writes is gone for the next.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from dialogues.models import Citation, Concern, ConcernEntry, Country, DialogueRound, Source, Topic
from dialogues_portal.real_record import RecordError, load_record
from funding.aggregates import known_contribution
from funding.models import Call, FundingFigure, Programme, Project
from funding.summaries import stored_cells
from seminars.models import Seminar
from tests.api_helpers import results
from tests.conftest import load_real_data_dump

PUBLISHED = "published"
SOURCED = [DialogueRound, Seminar, Project, Call, Concern, ConcernEntry]
COUNTED = [Source, Country, Topic, DialogueRound, Seminar, Programme, Call, Project, FundingFigure]
COUNTED += [Concern, ConcernEntry, Citation]


@pytest.fixture(scope="module")
def record(django_db_setup, django_db_blocker, real_data_dump):
    """The real data, loaded once for the tests of this module, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_real_data_dump(real_data_dump)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(record, db):
    """The loaded record, seen from a test's own savepoint."""


def rounds(iso_code, **filters):
    return DialogueRound.objects.published().filter(country__iso_code=iso_code, **filters)


# --- Every record sourced, every number explained, no impossible date -------------------------


@pytest.mark.parametrize("model", SOURCED, ids=lambda model: model.__name__)
def test_every_published_record_cites_a_published_source_with_a_url(loaded, model):
    records = model.objects.published()
    assert records.exists()
    unsourced = records.exclude(sources__in=Source.objects.published().exclude(url=""))
    assert list(unsourced) == []


def test_every_numbered_round_says_whether_its_number_is_stated_or_inferred(loaded):
    numbered = DialogueRound.objects.published().filter(sequence_number__isnull=False)
    assert numbered.count() >= 50
    assert not numbered.exclude(number_basis__in=["stated", "inferred"]).exists()
    unexplained = numbered.filter(number_basis="inferred", number_note="")
    assert list(unexplained) == []
    assert numbered.filter(number_basis="inferred").exists()  # the rule is exercised


def test_no_two_rounds_of_one_country_and_format_on_one_date(loaded):
    seen = {}
    # an undated round is told apart by its number (a unique constraint)
    for dialogue_round in DialogueRound.objects.published().filter(held_on__isnull=False).select_related("country"):
        key = (dialogue_round.country.iso_code, dialogue_round.format, dialogue_round.held_on)
        assert key not in seen, (key, seen.get(key), dialogue_round.pk)
        seen[key] = dialogue_round.pk


def test_a_round_no_page_dates_is_known_by_an_inferred_number_and_the_page_implying_it(loaded):
    undated = DialogueRound.objects.published().filter(held_on__isnull=True)
    assert undated.count() >= 20
    assert not undated.filter(sequence_number__isnull=True).exists()
    assert set(undated.values_list("number_basis", flat=True)) == {"inferred"}
    assert not undated.filter(number_note="").exists()
    assert not undated.exclude(citations__field="sequence_number").exists()


@pytest.mark.parametrize(
    ("iso_code", "series", "first", "last"),
    [
        ("KZ", "dialogue", 1, 16),
        ("TM", "dialogue", 1, 17),
        ("TJ", "dialogue", 1, 15),
        ("UZ", "dialogue", 1, 9),
        ("UZ", "subcommittee", 4, 21),
    ],
)
def test_numbered_series_have_no_gap_where_the_numbering_implies_every_round(loaded, iso_code, series, first, last):
    formats = {"subcommittee": ["subcommittee"], "dialogue": ["structured", "ad_hoc"]}[series]
    numbers = set(rounds(iso_code, format__in=formats).values_list("sequence_number", flat=True))
    assert set(range(first, last + 1)) <= numbers, sorted(set(range(first, last + 1)) - numbers)


def test_no_date_lies_in_the_future(loaded):
    today = datetime.date.today()
    dated = [
        (DialogueRound, "held_on"),
        (DialogueRound, "held_until"),
        (Seminar, "held_on"),
        (ConcernEntry, "stated_on"),
        (Project, "starts_on"),
        (Call, "announced_on"),
        (Source, "published_on"),
    ]
    for model, field in dated:
        assert not model.objects.filter(**{f"{field}__gt": today}).exists(), (model.__name__, field)


# --- Key facts -------------------------------------------------------------------------------------


def test_each_countrys_facts_cite_the_source_document_that_states_them(loaded, client):
    factsheet = "EU human rights dialogues in Central Asia"
    uzbekistan = Country.objects.get(iso_code="UZ")
    cited = {(c.field, c.source.title) for c in uzbekistan.citations.select_related("source")}
    assert ("dialogue_agreed_on", factsheet) in cited  # "formally agreed in 2007"
    assert not uzbekistan.citations.filter(field="dialogue_started_on").exists()  # no page dates its first round
    for country in Country.objects.published():
        assert country.citations.exists(), country.iso_code
        html = client.get(country.get_absolute_url()).content.decode()
        assert 'class="cite"' in html and f'title="Stated by: {factsheet}"' in html


def test_kazakhstan_has_its_16th_round_in_brussels_and_its_12th_in_2020(loaded):
    sixteenth = rounds("KZ", format="structured", sequence_number=16).get()
    assert (sixteenth.held_on, sixteenth.held_on_precision, sixteenth.place) == (
        datetime.date(2025, 3, 6),
        "day",
        "Brussels",
    )
    assert rounds("KZ", format="structured", sequence_number=12).get().held_on == datetime.date(2020, 11, 26)


def test_turkmenistan_reaches_a_17th_round(loaded):
    assert rounds("TM", format="structured", sequence_number=17).get().held_on == datetime.date(2025, 6, 17)
    assert max(rounds("TM").values_list("sequence_number", flat=True).exclude(sequence_number=None)) == 17


def test_kyrgyz_republic_has_a_14th_round_and_tajikistan_a_15th(loaded):
    assert rounds("KG", format="structured", sequence_number=14).get().held_on == datetime.date(2024, 11, 21)
    assert rounds("TJ", format="structured", sequence_number=15).get().held_on == datetime.date(2025, 10, 17)


def test_uzbekistan_numbers_its_sub_committee_meetings_apart_from_its_dialogue_rounds(loaded):
    twenty_first = rounds("UZ", format="subcommittee", sequence_number=21).get()
    assert twenty_first.held_on.year == 2025
    assert twenty_first.series == "subcommittee"
    dialogue_numbers = set(rounds("UZ").exclude(format="subcommittee").values_list("sequence_number", flat=True))
    committee_numbers = set(rounds("UZ", format="subcommittee").values_list("sequence_number", flat=True))
    assert 21 not in dialogue_numbers
    assert dialogue_numbers & committee_numbers  # two numberings: the same number in each (the 4th)


def test_sub_committee_meetings_are_not_counted_in_the_dialogue_series(loaded, api, client):
    dialogue = rounds("UZ").exclude(format="subcommittee").count()
    committee = rounds("UZ", format="subcommittee").count()
    assert dialogue and committee
    rows = results(api.get("/api/v1/dialogue-rounds/?country=UZ&series=dialogue&page_size=100"))
    assert len(rows) == dialogue
    assert {row["series"] for row in rows} == {"dialogue"}
    rows = results(api.get("/api/v1/dialogue-rounds/?country=UZ&series=subcommittee&page_size=100"))
    assert len(rows) == committee and 21 in {row["sequence_number"] for row in rows}
    assert client.get("/en/dialogues/?country=UZ&series=dialogue").context["paginator"].count == dialogue


def test_the_eidhr_2009_package_counts_its_eur_1200000_once(loaded):
    package = Call.objects.get(total_amount_eur=Decimal("1200000"), programme__slug="eidhr")
    part = Call.objects.get(total_amount_eur=Decimal("670000"), programme__slug="eidhr")
    assert part.parent == package
    cells = stored_cells(scope=None).items()
    eidhr = {
        (year, cell.amount)
        for (_s, programme, year), cell in cells
        if programme == package.programme_id and cell.counted
    }
    assert (2009, Decimal("1200000")) in eidhr
    assert not any(year == part.year for year, _amount in eidhr)  # the part's 670,000 is not added
    assert known_contribution(country=Country.objects.get(iso_code="KZ")).total >= Decimal("1200000")
    assert known_contribution().total == known_total_record_by_record()


def known_total_record_by_record():
    """The rule of funding/aggregates.py, overall, from the records one by one."""

    def counts(call):
        return (
            call is not None
            and call.is_published
            and call.total_amount_eur is not None
            and (call.programme is None or call.programme.is_published)
        )

    total = Decimal(0)
    for call in Call.objects.select_related("programme", "parent__programme"):
        if counts(call) and not counts(call.parent):
            total += call.total_amount_eur
    for project in Project.objects.select_related("programme", "call__programme", "call__parent__programme"):
        if not project.is_published or (project.programme is not None and not project.programme.is_published):
            continue
        call = project.call
        if counts(call) or (call is not None and counts(call.parent)):
            continue
        total += project.eu_contribution_eur or 0
    return total


# --- Loading ------------------------------------------------------------------------------------------


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_loading_twice_changes_no_count(loaded):
    before = counts()
    assert before["DialogueRound"] >= 60 and before["ConcernEntry"] >= 300
    call_command("load_real_data", verbosity=0)
    assert counts() == before


def history_entries():
    return sum(model.history.count() for model in (DialogueRound, Seminar, Call, Project, Concern, ConcernEntry))


def test_loading_again_records_no_history_entry(loaded):
    before = history_entries()
    call_command("load_real_data", verbosity=0)
    assert history_entries() == before


def write_record(directory, name, **content):
    (directory / name).write_text(json.dumps(content), encoding="utf-8")


SOURCE = {"key": "s1", "url": "https://example.org/test-readout", "title": "Test readout", "published": "2021-12-03"}


def a_round(**changes):
    item = {
        "key": "zz-hrd-1",
        "country": "KZ",
        "series": "dialogue",
        "number": 99,
        "number_basis": "stated",
        "held": "2021-12-02",
        "sources": ["s1"],
        "cite": {"held": ["s1"]},
    }
    return {**item, **changes}


def refused_load(directory):
    """The RecordError of loading `directory`, and whether the load wrote nothing."""
    before = counts()
    with pytest.raises(RecordError) as refusal:
        load_record(directory)
    return str(refusal.value), counts() == before


def test_an_unknown_country_names_the_file_and_the_record_and_writes_nothing(loaded, tmp_path):
    write_record(tmp_path, "aa.json", sources=[{**SOURCE, "url": "https://example.org/first-file"}])
    write_record(tmp_path, "zz.json", sources=[SOURCE], rounds=[a_round(country="QQ")])
    message, nothing_written = refused_load(tmp_path)
    assert "zz.json" in message and "zz-hrd-1" in message and "QQ" in message
    assert nothing_written  # the first file's source and the second's are rolled back with it
    assert not Source.objects.filter(url__in=["https://example.org/first-file", SOURCE["url"]]).exists()


def test_an_unknown_status_names_the_file_the_record_and_the_field(loaded, tmp_path):
    entry = {"concern": "zz-concern", "status": "bogus", "asserted_by": "eu", "source": "s1"}
    concern = {"key": "zz-concern", "country": "KZ", "title": "A test concern"}
    write_record(tmp_path, "zz.json", sources=[SOURCE], concerns=[concern], rounds=[a_round(concerns=[entry])])
    message, nothing_written = refused_load(tmp_path)
    assert "zz.json" in message and "zz-hrd-1" in message and "status" in message
    assert nothing_written
    assert not Concern.objects.filter(slug="zz-concern").exists()


def test_a_source_the_file_does_not_hold_is_refused(loaded, tmp_path):
    write_record(tmp_path, "zz.json", sources=[SOURCE], rounds=[a_round(sources=["s1", "missing"])])
    message, nothing_written = refused_load(tmp_path)
    assert "zz.json" in message and "missing" in message and nothing_written


def test_an_inferred_number_without_its_note_is_refused(loaded, tmp_path):
    write_record(tmp_path, "zz.json", sources=[SOURCE], rounds=[a_round(number_basis="inferred")])
    message, nothing_written = refused_load(tmp_path)
    assert "zz.json" in message and "zz-hrd-1" in message and nothing_written


@pytest.mark.parametrize(
    "content",
    [
        {"sources": [SOURCE], "rounds": [a_round(held="2021-13-45")]},
        {"sources": [SOURCE], "rounds": [a_round(held="2021-02-30")]},
        {"sources": [{**SOURCE, "published": "2021-02-30"}]},
    ],
    ids=["round-month-13", "round-30-february", "source-30-february"],
)
def test_a_bad_date_names_the_file_and_the_record_and_writes_nothing(loaded, tmp_path, content):
    write_record(tmp_path, "zz.json", **content)
    message, nothing_written = refused_load(tmp_path)
    assert "zz.json" in message and nothing_written


def test_an_unknown_qualifier_names_the_file_and_the_record(loaded, tmp_path):
    package = {
        "key": "zz-package",
        "programme": None,
        "title": "A test package",
        "country": "KZ",
        "year": 2021,
        "total_eur": "1000",
        "total_qualifier": "roughly",
        "sources": ["s1"],
    }
    write_record(tmp_path, "zz.json", sources=[SOURCE], funding={"packages": [package]})
    message, nothing_written = refused_load(tmp_path)
    assert "zz.json" in message and "zz-package" in message and nothing_written


def test_a_source_given_by_its_url_alone_must_be_one_already_held(loaded, tmp_path):
    unknown = {"key": "ref", "url": "https://example.org/never-loaded"}
    write_record(tmp_path, "countries.json", sources=[unknown], countries=[{"country": "KZ", "cite": {}}])
    message, nothing_written = refused_load(tmp_path)
    assert "countries.json" in message and "https://example.org/never-loaded" in message
    assert nothing_written
