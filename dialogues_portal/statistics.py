"""Figures that span the apps: key counts, activity per year, topic attention, a country's timeline.

Every figure starts from published records only; each function makes a fixed number of queries,
none while its value is cached (until an edit of what it read, dialogues/cache.py). A figure made
of counts over several kinds of record caches each kind's part apart (`in_parts`): an edit of a
round then recounts the rounds only, not a million projects.
"""

from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dialogues.cache import cached
from dialogues.models import Country, DialogueRound, Topic
from dialogues.partial_dates import PartialDate
from dialogues.publishing import PublicationStatus
from dialogues.templatetags.languages import translated
from funding.aggregates import project_counts
from funding.models import Project
from seminars.models import Seminar

PUBLISHED = PublicationStatus.PUBLISHED
STORY_LIMIT = 30  # entries of each kind on a country's or a topic's timeline; the listings hold the rest


def in_parts(key, parts):
    """{name: compute()} for parts {name: compute}, each cached apart under `key`."""
    return {name: cached(f"{key}:{name}", compute) for name, compute in parts.items()}


def key_figures(contribution_total):
    """Three counts (three queries), and the known EU contribution given by funding.aggregates."""
    counts = in_parts(
        "key-figures",
        {
            "rounds": DialogueRound.objects.published().count,
            "seminars": Seminar.objects.published().count,
            "projects": partial(projects_in, None, None),
        },
    )
    return {**counts, "contribution": contribution_total}


def projects_in(scope=None, topic=None):
    """How many published projects work in a country (None: anywhere) on a topic (None: any),
    read from the counts each edit keeps up to date (funding/summaries.py): one query."""
    return project_counts().get((scope, topic), 0)


def projects_per_topic(scope=None):
    """{published topic id: how many published projects work on it} in a country (None:
    anywhere), from the same counts: two queries."""
    return {topic: n for (_where, topic), n in _projects_per_topic_in({scope}).items()}


def _projects_per_topic_in(scopes):
    """{(scope, published topic id): projects} for the scopes given (country ids, None: anywhere)."""
    published = set(Topic.objects.published().values_list("pk", flat=True))
    counts = project_counts().items()
    return {(where, topic): n for (where, topic), n in counts if where in scopes and topic in published}


@dataclass(frozen=True)
class Activity:
    """Published rounds and seminars per year, and how many of each have no date."""

    years: list  # [(year, rounds, seminars)], oldest first, for every year with at least one
    undated_rounds: int
    undated_seminars: int


def activity_per_year():
    """Rounds and seminars per year and the undated ones (two queries, none while cached): each
    kind's counts are cached apart, so a round's edit groups the rounds again, not the seminars."""
    counts = in_parts(
        "activity-by-year", {"rounds": partial(_per_year, DialogueRound), "seminars": partial(_per_year, Seminar)}
    )
    rounds, seminars = counts["rounds"], counts["seminars"]
    years = sorted((set(rounds) | set(seminars)) - {None})
    return Activity(
        years=[(year, rounds[year], seminars[year]) for year in years],
        undated_rounds=rounds[None],
        undated_seminars=seminars[None],
    )


def _per_year(model):
    # an undated record is counted under the year None, in the same grouped query
    return Counter(
        dict(
            model.objects.published()
            .annotate(year=ExtractYear("held_on"))
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )


def topic_attention(countries):
    """{(topic id, country id): mentions}: on the country's dialogue agenda, and each published round,
    seminar and project on the topic (four queries)."""
    country_ids = sorted(country.pk for country in countries)
    key = f"topic-attention:{','.join(map(str, country_ids))}"
    parts = in_parts(key, {kind: partial(_topic_attention, kind, country_ids) for kind in ATTENTION_PARTS})
    return sum(parts.values(), Counter())


ATTENTION_PARTS = ("agenda", "rounds", "seminars", "projects")


def _topic_attention(kind, country_ids):
    published_topics = Topic.objects.published().values("pk")
    counts = Counter()
    if kind == "agenda":
        agenda = Country.dialogue_topics.through.objects.filter(country_id__in=country_ids, topic__in=published_topics)
        for pair in agenda.values_list("topic_id", "country_id"):
            counts[pair] += 1
    elif kind == "rounds":
        rounds = DialogueRound.topics.through.objects.filter(
            dialogueround__publication_status=PUBLISHED, topic__in=published_topics
        )
        for pair in rounds.values_list("topic_id", "dialogueround__country_id"):
            counts[pair] += 1
    elif kind == "projects":  # the counts each edit keeps up to date (funding/summaries.py)
        for (scope, topic), n in _projects_per_topic_in(set(country_ids)).items():
            counts[(topic, scope)] = n
    else:  # seminars, grouped in the database: a topic link joined to the seminar's countries, per pair
        pairs = (
            Seminar.topics.through.objects.filter(
                seminar__publication_status=PUBLISHED, seminar__countries__in=country_ids, topic__in=published_topics
            )
            .values_list("topic_id", "seminar__countries")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for topic_id, country_id, n in pairs:
            counts[(topic_id, country_id)] += n
    return counts


@dataclass
class TimelineEntry:
    date: PartialDate | None
    kind: str
    kind_label: str
    title: str
    url: str
    note: str = ""

    def __post_init__(self):
        # plain strings in the active language, not lazy ones: the entries are cached per language,
        # and unpickling a lazy string builds a class each time (django.utils.functional.lazy),
        # about 80 µs an entry read from the cache
        self.kind_label, self.title, self.note = str(self.kind_label), str(self.title), str(self.note)

    @property
    def sort_key(self):
        return (self.date is None, self.date.date if self.date else None)


def programme_of(project):
    """The programme a timeline names beside a project: its acronym, else its name; none if a draft."""
    programme = project.programme
    if programme is None or not programme.is_published:
        return ""
    return programme.acronym or translated(programme, "name")


def for_timeline(queryset):
    """The records of a timeline with what its entries show beyond their own fields (a round's
    title names its country, a project's note its programme), nothing more: no prefetch."""
    related = {DialogueRound: ("country",), Seminar: (), Project: ("programme",)}[queryset.model]
    return queryset.select_related(*related) if related else queryset


def latest(queryset, date_field, limit=None):
    """The newest `limit` (STORY_LIMIT) records for a timeline, undated ones last: in the order of
    their indexes (PostgreSQL), read without sorting the table."""
    limit = STORY_LIMIT if limit is None else limit  # read when called: tests set a smaller one
    return for_timeline(queryset).order_by(F(date_field).desc(nulls_last=True), "-pk")[:limit]


def round_entries(rounds):
    return [
        TimelineEntry(r.held, "round", _("Dialogue round"), str(r), r.get_absolute_url(), r.get_format_display())
        for r in rounds
    ]


def seminar_entries(seminars):
    return [
        TimelineEntry(s.held, "seminar", _("Seminar"), translated(s, "title"), s.get_absolute_url(), s.date_note)
        for s in seminars
    ]


def project_entries(projects):
    return [
        TimelineEntry(p.starts, "project", _("Project"), translated(p, "title"), p.get_absolute_url(), programme_of(p))
        for p in projects
    ]


def in_date_order(entries):
    """Oldest first, undated ones last."""
    return sorted(entries, key=lambda entry: (entry.date is None, entry.date.date if entry.date else 0))


def latest_timeline(cache_key, *, rounds, seminars, projects, limit=None):
    """The latest `limit` (STORY_LIMIT) of each of the given (published) querysets on one line,
    oldest first, undated ones last: three queries (for_timeline joins what the entries show; no
    prefetch), none while cached. Each kind's entries are cached apart, in the active language: a
    project's edit reads the latest projects again, not the rounds and seminars."""
    kinds = {
        "rounds": lambda: round_entries(latest(rounds, "held_on", limit)),
        "seminars": lambda: seminar_entries(latest(seminars, "held_on", limit)),
        "projects": lambda: project_entries(latest(projects, "starts_on", limit)),
    }
    entries = in_parts(f"latest-entries:{get_language()}:{cache_key}:{limit or STORY_LIMIT}", kinds)
    return in_date_order([entry for part in entries.values() for entry in part])


def records_per_topic():
    """{"rounds"|"seminars"|"projects"|"countries": {topic id: how many published records}}.

    One grouped query per relation on its link table (four queries, none while cached): joining
    the four relations in one query would multiply their rows.
    """

    relations = {
        "rounds": (DialogueRound.topics.through, "dialogueround"),
        "seminars": (Seminar.topics.through, "seminar"),
        "countries": (Country.dialogue_topics.through, "country"),
    }

    def per_topic(through, owner):
        return dict(
            through.objects.filter(**{f"{owner}__publication_status": PUBLISHED})
            .values_list("topic_id")
            .annotate(n=Count("pk"))
            .order_by()
        )

    parts = {kind: partial(per_topic, *relation) for kind, relation in relations.items()}
    return in_parts("records-per-topic", {**parts, "projects": projects_per_topic})


@dataclass
class Story:
    """A country's or a topic's records: the latest of each kind on one timeline, and the totals."""

    timeline: list
    counts: dict

    @property
    def limit(self):
        return STORY_LIMIT

    @property
    def truncated(self):
        return any(n > STORY_LIMIT for n in self.counts.values())


def story_counts(cache_key, *, rounds, seminars, projects_count):
    """{"rounds", "seminars", "projects": how many}: three counts, each cached apart (none while
    cached); `projects_count()` reads the counts kept up to date, as counting a million projects
    took 0.3 s."""
    return in_parts(
        f"story-counts:{cache_key}", {"rounds": rounds.count, "seminars": seminars.count, "projects": projects_count}
    )


def story(cache_key, *, rounds, seminars, projects, projects_count):
    """The latest STORY_LIMIT rounds, seminars and projects of the given (published) querysets on
    one timeline (latest_timeline), and how many there are in all (story_counts): six queries
    whatever the rows, none while cached."""
    counts = story_counts(cache_key, rounds=rounds, seminars=seminars, projects_count=projects_count)
    return Story(latest_timeline(cache_key, rounds=rounds, seminars=seminars, projects=projects), counts)


def topics_raised_most_in(country, agenda, limit=10):
    """[(topic, mentions)]: how often each published topic comes up in the country's published
    rounds, seminars and projects, plus once for being on its dialogue agenda (four queries)."""

    def per_topic(model, owner, records):
        through = model.topics.through
        return dict(
            through.objects.filter(**{f"{owner}_id__in": records.values("pk")}, topic__publication_status=PUBLISHED)
            .values_list("topic_id")
            .annotate(n=Count("pk"))
            .order_by()
        )

    relations = {
        "rounds": (DialogueRound, "dialogueround", DialogueRound.objects.published().filter(country=country)),
        "seminars": (Seminar, "seminar", Seminar.objects.published().filter(countries=country)),
    }
    key = f"topics-raised-most:{country.pk}"
    parts = {kind: partial(per_topic, *args) for kind, args in relations.items()}
    parts = in_parts(key, {**parts, "projects": partial(projects_per_topic, country.pk)})
    counts = Counter(topic.pk for topic in agenda)
    for part in parts.values():
        counts.update(part)
    ranked = sorted(counts.items(), key=lambda pair: -pair[1])[: limit * 2]
    topics = Topic.objects.published().only("id", "name", "slug").in_bulk([pk for pk, _n in ranked])
    rows = [(topics[pk], n) for pk, n in ranked if pk in topics]
    return sorted(rows, key=lambda pair: (-pair[1], pair[0].name))[:limit]
