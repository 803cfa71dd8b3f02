"""What a concern's history says, derived and never typed: its current status, how often and since
when it was raised, whether it stagnates, and the status strip of its country's rounds.

Everything here is read from the public entries (published entries of published concerns, at
published rounds) as of a date, in a fixed number of queries whatever the number of concerns:

- the **current status** is the status of the latest entry (by the occasion's date, the round's
  or the statement's; an entry known only to a month or a year counts from the first day of it);
- **raised in N rounds since YEAR** counts the rounds with an entry other than "not mentioned";
- a concern **stagnates** when its country's last three rounds or more, up to the latest one, each
  have an entry for it with one and the same open status (raised, or a partner's commitment).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import OPEN_STATUSES, ConcernEntry, ConcernStatus, DialogueRound
from .partial_dates import PartialDate
from .publishing import PublicationStatus

STAGNATION_ROUNDS = 3
# A list of concerns (a country's page, a topic's, the concerns' list) shows each one's latest
# rounds only: a strip of every round would grow with the record (a thousand marks per concern
# for a country's synthetic rounds) and not fit a phone; the concern's own page shows it whole.
RECENT_MARKS = 12


@dataclass
class StripRound:
    """A round as a strip shows it: its date. Read as values, not as models: a strip spans every
    round of its country (a thousand synthetic ones), and only the marks shown are made."""

    pk: int
    held: PartialDate

    @cached_property
    def held_text(self):
        return str(self.held)  # formatted once for its mark's title and text


@dataclass
class StripMark:
    """One of the country's rounds on a concern's status strip; `entry` None: nothing recorded."""

    dialogue_round: StripRound
    entry: ConcernEntry | None

    @property
    def status(self):
        return self.entry.status if self.entry else ""


@dataclass
class ConcernState:
    """A concern's history as of a date, and its status strip: a StripMark per round of its
    country from the first it was raised at. The marks are made when asked for (a list of concerns
    shows the latest RECENT_MARKS of each; a strip of a country's thousand synthetic rounds made
    whole for every concern of a page was most of its time)."""

    entries: list = field(default_factory=list)  # the history as of the date, oldest first
    rounds: list = field(default_factory=list)  # the country's dated rounds, oldest first: (pk, day, precision)
    first: int | None = None  # where in `rounds` the strip starts (None: raised at no round)

    def _marks(self, start):
        at_round = {e.dialogue_round_id: e for e in self.entries if e.dialogue_round_id}
        return [
            StripMark(StripRound(pk, PartialDate.of(held_on, precision)), at_round.get(pk))
            for pk, held_on, precision in self.rounds[start:]
        ]

    @cached_property
    def strip(self):
        return [] if self.first is None else self._marks(self.first)

    @property
    def strip_length(self):
        return 0 if self.first is None else len(self.rounds) - self.first

    @property
    def recent_strip(self):
        if self.first is None:
            return []
        return self._marks(max(self.first, len(self.rounds) - RECENT_MARKS))

    @property
    def earlier_marks(self):
        """How many rounds of the strip recent_strip leaves out."""
        return max(0, self.strip_length - RECENT_MARKS)

    @cached_property
    def stagnant(self):
        # a run of the latest marks: its last STAGNATION_ROUNDS decide it
        if self.first is None:
            return False
        return is_stagnant(self._marks(max(self.first, len(self.rounds) - STAGNATION_ROUNDS)))

    @property
    def current(self):
        return self.entries[-1] if self.entries else None

    @property
    def current_status(self):
        return self.current.status if self.current else ""

    @property
    def raised_rounds(self):
        return sum(1 for e in self.entries if e.dialogue_round_id and e.status != ConcernStatus.NOT_MENTIONED)

    @property
    def raised_since(self):
        years = [e.date.year for e in self.entries if e.status != ConcernStatus.NOT_MENTIONED]
        return min(years) if years else None

    def changes(self):
        """The entries whose status differs from the one before (the first entry included)."""
        previous = None
        for entry in self.entries:
            if entry.status != previous:
                yield entry
            previous = entry.status


def occasion_date():
    """An entry's date as an expression: its round's, or its statement's."""
    return Coalesce(F("dialogue_round__held_on"), F("stated_on"))


def public_entries(as_of=None):
    # an entry at a round no source dates cannot take its place in a concern's story
    entries = ConcernEntry.objects.public().annotate(occasion_on=occasion_date()).filter(occasion_on__isnull=False)
    return entries if as_of is None else entries.filter(occasion_on__lte=as_of)


def current_status_subquery(as_of=None):
    """The status of a concern's latest public entry, for annotating or filtering concerns."""
    latest = public_entries(as_of).filter(concern=OuterRef("pk")).order_by("-occasion_on", "-pk")
    return Subquery(latest.values("status")[:1])


def concern_states(concerns, *, as_of=None, with_entries=True):
    """{concern id: ConcernState} for `concerns` (instances), as of `as_of` (a date, or None: today).

    Two queries: the concerns' public entries, and their countries' published rounds."""
    concerns = list(concerns)
    states = {concern.pk: ConcernState() for concern in concerns}
    if not concerns:
        return states
    entries = public_entries(as_of).filter(concern__in=[c.pk for c in concerns]).select_related("dialogue_round")
    if with_entries:
        entries = entries.for_story()
    for entry in sorted(entries, key=lambda e: (e.occasion_on, e.pk)):
        states[entry.concern_id].entries.append(entry)
    rounds = DialogueRound.objects.published().filter(
        country__in={c.country_id for c in concerns}, country__publication_status=PublicationStatus.PUBLISHED
    )
    # a round known only by its number has no place on a strip drawn in date order
    rounds = rounds.filter(held_on__isnull=False)
    if as_of is not None:
        rounds = rounds.filter(held_on__lte=as_of)
    by_country = {}
    # plain values, no translated field: without modeltranslation's reading of each row (thousands)
    dated = (
        rounds.rewrite(False).order_by("held_on", "pk").values_list("pk", "country_id", "held_on", "held_on_precision")
    )
    for pk, country_id, held_on, precision in dated:
        by_country.setdefault(country_id, []).append((pk, held_on, precision))
    for concern in concerns:
        state = states[concern.pk]
        at_rounds = {e.dialogue_round_id for e in state.entries if e.dialogue_round_id}
        state.rounds = by_country.get(concern.country_id, [])
        state.first = next((i for i, (pk, _held_on, _precision) in enumerate(state.rounds) if pk in at_rounds), None)
    return states


def is_stagnant(strip):
    """Three or more rounds in a row, up to the latest, at one and the same open status."""
    run = 0
    for mark in reversed(strip):
        if mark.entry is None or mark.status not in OPEN_STATUSES or (run and mark.status != strip[-1].status):
            break
        run += 1
    return run >= STAGNATION_ROUNDS


def concern_rows(concerns):
    """[(concern, state)] of a queryset of concerns, the latest change first, unrecorded last."""
    concerns = list(concerns.select_related("country"))
    states = concern_states(concerns, with_entries=False)

    def latest_first(row):
        current = row[1].current
        return (current is None, -current.occasion_on.toordinal() if current else 0, row[0].title)

    return sorted(((concern, states[concern.pk]) for concern in concerns), key=latest_first)
