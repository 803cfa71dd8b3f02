"""The follow-up tracker (dialogues/tracker.py): what a concern's history says, derived from its
entries; and the rules the database and clean() hold an entry to."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dialogues.models import Concern, ConcernEntry
from dialogues.tracker import concern_states, current_status_subquery
from tests.factories import DRAFT, day, held, make_concern, make_country, make_entry

pytestmark = pytest.mark.django_db


def state_of(concern, **kwargs):
    return concern_states([concern], **kwargs)[concern.pk]


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# --- Current status, rounds raised ---------------------------------------------------------------


def test_current_status_is_that_of_the_latest_entry_by_the_occasions_date():
    country = make_country()
    concern = make_concern(country=country)
    make_entry(concern, held(country, 2015), status="raised")
    make_entry(concern, stated_on=day(2016, 3, 1), status="commitment", asserted_by="partner_government")
    # entered last, but its round is the oldest: the order of entry says nothing
    make_entry(concern, held(country, 2014), status="progress")
    state = state_of(concern)
    assert state.current_status == "commitment"
    assert state.current.asserted_by == "partner_government"
    assert [e.status for e in state.entries] == ["progress", "raised", "commitment"]


def test_a_statement_known_only_to_its_year_counts_from_the_first_day_of_it():
    country = make_country()
    concern = make_concern(country=country)
    make_entry(concern, held(country, 2016, 3, 5), status="raised")
    make_entry(concern, stated_on=day(2016, 9, 30), stated_on_precision="year", status="resolved")
    assert state_of(concern).current_status == "raised"  # 2016 is read as 1 January 2016


def test_a_concern_without_entries_has_no_status_and_is_not_raised():
    state = state_of(make_concern())
    assert (state.current, state.current_status, state.raised_rounds, state.raised_since) == (None, "", 0, None)
    assert state.strip == [] and state.stagnant is False


def test_raised_rounds_counts_rounds_with_an_entry_other_than_not_mentioned():
    country = make_country()
    concern = make_concern(country=country)
    make_entry(concern, held(country, 2010), status="not_mentioned")
    make_entry(concern, held(country, 2012), status="raised")
    make_entry(concern, held(country, 2013), status="not_mentioned")
    make_entry(concern, held(country, 2014), status="commitment")
    make_entry(concern, stated_on=day(2014, 9, 1), status="raised")  # a statement is no round
    state = state_of(concern)
    assert state.raised_rounds == 2
    assert state.raised_since == 2012  # the round that did not mention it does not count


def test_current_status_subquery_agrees_with_the_derived_state():
    country = make_country()
    concern = make_concern(country=country)
    make_entry(concern, held(country, 2019), status="commitment")
    make_entry(concern, held(country, 2018), status="raised")
    make_entry(concern, held(country, 2020), status="progress", publication_status=DRAFT)
    annotated = Concern.objects.annotate(status=current_status_subquery()).get(pk=concern.pk)
    assert annotated.status == state_of(concern).current_status == "commitment"
    as_of = Concern.objects.annotate(status=current_status_subquery(day(2018, 12, 31))).get(pk=concern.pk)
    assert as_of.status == "raised"


# --- Stagnation ----------------------------------------------------------------------------------

# The statuses recorded at the country's rounds, oldest first; None: a round without an entry.
STAGNATION_CASES = [
    (["raised", "raised", "raised"], True),
    (["commitment", "commitment", "commitment"], True),
    (["progress", "raised", "raised", "raised", "raised"], True),
    ([None, "raised", "raised", "raised"], True),  # a gap before the run does not matter
    (["raised", "raised"], False),  # two rounds are not three
    (["raised", "commitment", "commitment"], False),  # a change
    (["raised", "raised", "raised", "commitment"], False),  # a change at the latest round
    (["raised", None, "raised", "raised"], False),  # a round without an entry
    (["raised", "raised", "raised", None], False),  # nothing recorded at the latest round
    (["raised", "not_mentioned", "raised", "raised"], False),
    (["raised", "raised", "raised", "not_mentioned"], False),
    (["raised", "raised", "raised", "resolved"], False),
    (["resolved", "resolved", "resolved"], False),  # not an open status
    (["progress", "progress", "progress"], False),
    (["dropped", "dropped", "dropped"], False),
]


@pytest.mark.parametrize(("statuses", "stagnant"), STAGNATION_CASES)
def test_stagnation_is_three_rounds_in_a_row_up_to_the_latest_at_one_open_status(statuses, stagnant):
    country = make_country()
    concern = make_concern(country=country)
    for year, status in enumerate(statuses, start=2010):
        dialogue_round = held(country, year)
        if status is not None:
            make_entry(concern, dialogue_round, status=status)
    held(make_country(), 2030)  # another country's later round is none of this country's
    state = state_of(concern)
    assert state.stagnant is stagnant
    first = next(i for i, status in enumerate(statuses) if status)  # the strip starts where it was raised
    assert [mark.status for mark in state.strip] == [status or "" for status in statuses[first:]]


def test_a_list_reads_the_latest_marks_and_stagnation_without_making_the_whole_strip():
    """A concern raised at the first of 30 rounds: its latest 12 marks, the 18 earlier ones
    counted, its stagnation, all as the whole strip has them, and the whole strip never made."""
    country = make_country()
    concern = make_concern(country=country)
    rounds = [held(country, year) for year in range(1990, 2020)]
    make_entry(concern, rounds[0], status="raised")
    for dialogue_round in rounds[-4:]:
        make_entry(concern, dialogue_round, status="raised")
    state = state_of(concern)
    recent, earlier, stagnant = state.recent_strip, state.earlier_marks, state.stagnant
    assert "strip" not in state.__dict__  # a cached property not computed
    assert (earlier, stagnant) == (18, True)
    assert recent == state.strip[-12:] and len(state.strip) == 30
    assert [mark.status for mark in recent] == [""] * 8 + ["raised"] * 4


def test_the_strip_starts_at_the_first_round_with_an_entry():
    country = make_country()
    concern = make_concern(country=country)
    held(country, 2008)
    first = held(country, 2009)
    held(country, 2010)
    make_entry(concern, first, status="raised")
    strip = state_of(concern).strip
    assert [mark.dialogue_round.held.year for mark in strip] == [2009, 2010]
    assert [mark.status for mark in strip] == ["raised", ""]


def test_a_later_draft_round_does_not_break_stagnation():
    country = make_country()
    concern = make_concern(country=country)
    for year in (2010, 2011, 2012):
        make_entry(concern, held(country, year), status="raised")
    held(country, 2013, publication_status=DRAFT)
    assert state_of(concern).stagnant is True


# --- As of a date --------------------------------------------------------------------------------


def test_as_of_ignores_the_entries_and_rounds_after_the_date():
    country = make_country()
    concern = make_concern(country=country)
    for year in (2010, 2011, 2012):
        make_entry(concern, held(country, year), status="raised")
    make_entry(concern, held(country, 2013), status="resolved")
    make_entry(concern, stated_on=day(2014, 2, 1), status="raised", asserted_by="civil_society")
    today = state_of(concern)
    assert (today.current_status, today.stagnant, len(today.entries)) == ("raised", False, 5)
    before = state_of(concern, as_of=day(2012, 12, 31))
    assert (before.current_status, before.stagnant, before.raised_rounds) == ("raised", True, 3)
    assert [mark.dialogue_round.held.year for mark in before.strip] == [2010, 2011, 2012]
    assert state_of(concern, as_of=day(2009, 12, 31)).current is None


def test_a_round_after_the_date_without_an_entry_does_not_break_stagnation_as_of_the_date():
    country = make_country()
    concern = make_concern(country=country)
    for year in (2010, 2011, 2012):
        make_entry(concern, held(country, year), status="commitment")
    held(country, 2013)
    assert state_of(concern).stagnant is False
    assert state_of(concern, as_of=day(2013, 1, 1)).stagnant is True


def test_as_of_the_day_of_a_round_includes_it():
    country = make_country()
    concern = make_concern(country=country)
    make_entry(concern, held(country, 2012, 5, 10), status="raised")
    make_entry(concern, held(country, 2013, 5, 10), status="progress")
    assert state_of(concern, as_of=day(2013, 5, 10)).current_status == "progress"
    assert state_of(concern, as_of=day(2013, 5, 9)).current_status == "raised"


# --- Drafts ----------------------------------------------------------------------------------------


def test_a_draft_entry_is_hidden():
    country = make_country()
    concern = make_concern(country=country)
    make_entry(concern, held(country, 2010), status="raised")
    make_entry(concern, held(country, 2011), status="resolved", publication_status=DRAFT)
    state = state_of(concern)
    assert [e.status for e in state.entries] == ["raised"]
    assert state.current_status == "raised"


def test_the_entries_of_a_draft_concern_are_hidden():
    country = make_country()
    concern = make_concern(country=country, publication_status=DRAFT)
    make_entry(concern, held(country, 2010), status="raised")
    assert state_of(concern).entries == []


def test_an_entry_at_a_draft_round_is_hidden_and_the_round_is_off_the_strip():
    country = make_country()
    concern = make_concern(country=country)
    make_entry(concern, held(country, 2010), status="raised")
    make_entry(concern, held(country, 2011, publication_status=DRAFT), status="resolved")
    state = state_of(concern)
    assert [e.status for e in state.entries] == ["raised"]
    assert [mark.dialogue_round.held.year for mark in state.strip] == [2010]


# --- Changes, for the feeds ------------------------------------------------------------------------


def test_changes_are_the_entries_whose_status_differs_from_the_one_before():
    country = make_country()
    concern = make_concern(country=country)
    statuses = ["raised", "raised", "commitment", "commitment", "raised"]
    entries = [make_entry(concern, held(country, 2010 + i), status=s) for i, s in enumerate(statuses)]
    changes = list(state_of(concern).changes())
    assert [e.pk for e in changes] == [entries[0].pk, entries[2].pk, entries[4].pk]


def test_states_are_read_in_two_queries_whatever_the_number_of_concerns(django_assert_num_queries):
    country = make_country()
    concerns = [make_concern(country=country) for _ in range(20)]
    for year in (2010, 2011, 2012):
        dialogue_round = held(country, year)
        for concern in concerns:
            make_entry(concern, dialogue_round, status="raised")
    # the concerns' public entries with their rounds (1), the countries' published rounds (1)
    with django_assert_num_queries(2):
        states = concern_states(concerns, with_entries=False)
    assert all(state.stagnant for state in states.values())
    with django_assert_num_queries(2):
        concern_states(concerns[:1], with_entries=False)


# --- What the database and clean() refuse --------------------------------------------------------


def test_database_refuses_an_entry_at_a_round_that_is_also_a_statement():
    country = make_country()
    concern, dialogue_round = make_concern(country=country), held(country, 2010)
    refused(
        lambda: ConcernEntry.objects.create(
            concern=concern,
            dialogue_round=dialogue_round,
            stated_on=day(2010),
            stated_on_precision="day",
            occasion="A briefing",
            status="raised",
        )
    )
    refused(
        lambda: ConcernEntry.objects.create(
            concern=concern, dialogue_round=dialogue_round, occasion="A briefing", status="raised"
        )
    )


def test_database_refuses_an_entry_without_an_occasion():
    concern = make_concern()
    refused(lambda: ConcernEntry.objects.create(concern=concern, status="raised"))
    refused(  # a date without saying what was said where
        lambda: ConcernEntry.objects.create(
            concern=concern, stated_on=day(2010), stated_on_precision="day", status="raised"
        )
    )
    refused(lambda: ConcernEntry.objects.create(concern=concern, occasion="A briefing", status="raised"))


def test_database_refuses_two_entries_of_a_concern_at_one_round():
    country = make_country()
    concern, dialogue_round = make_concern(country=country), held(country, 2010)
    make_entry(concern, dialogue_round, status="raised")
    refused(lambda: ConcernEntry.objects.create(concern=concern, dialogue_round=dialogue_round, status="progress"))
    make_entry(make_concern(country=country), dialogue_round, status="raised")  # another concern may


def test_database_refuses_an_unknown_status_or_voice():
    country = make_country()
    concern = make_concern(country=country)
    refused(lambda: ConcernEntry.objects.create(concern=concern, dialogue_round=held(country, 2010), status="bogus"))
    refused(
        lambda: ConcernEntry.objects.create(
            concern=concern, dialogue_round=held(country, 2011), status="raised", asserted_by="the_press"
        )
    )


def test_clean_refuses_a_round_of_another_country():
    concern = make_concern(country=make_country())
    elsewhere = held(make_country(), 2010)
    entry = ConcernEntry(concern=concern, dialogue_round=elsewhere, status="raised")
    with pytest.raises(ValidationError) as refusal:
        entry.clean()
    assert "dialogue_round" in refusal.value.message_dict
    ConcernEntry(concern=concern, dialogue_round=held(concern.country, 2010), status="raised").clean()


def test_a_list_of_concerns_shows_the_latest_rounds_of_a_long_strip(client):
    """A country's page shows a concern's RECENT_MARKS latest rounds and says how many it leaves
    out; the concern's own page shows every round."""
    from dialogues.tracker import RECENT_MARKS

    country = make_country(slug="kz")
    concern = make_concern(country=country)
    rounds = [held(country, 1990 + n, sequence_number=n + 1) for n in range(RECENT_MARKS + 3)]
    make_entry(concern, rounds[0], status="raised")
    page = client.get("/en/countries/kz/").content.decode()
    assert page.count('<li class="status-mark') == RECENT_MARKS
    assert "3 earlier rounds not shown" in page
    whole = client.get(concern.get_absolute_url()).content.decode()
    assert whole.count('<li class="status-mark') == RECENT_MARKS + 3
