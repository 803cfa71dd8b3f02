"""Figures that span the apps: key counts, activity per year, topic attention, a country's timeline.

Every figure starts from published records only; each function makes a fixed number of queries,
none while its value is cached (until the next change of any record, dialogues/cache.py).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from dialogues.cache import cached
from dialogues.models import Country, DialogueRound, Topic
from dialogues.partial_dates import PartialDate
from dialogues.publishing import PublicationStatus
from funding.models import Project
from seminars.models import Seminar

PUBLISHED = PublicationStatus.PUBLISHED


def key_figures(contribution_total):
    """Three counts (three queries), and the known EU contribution given by funding.aggregates."""
    counts = cached(
        "key-figures",
        lambda: {
            "rounds": DialogueRound.objects.published().count(),
            "seminars": Seminar.objects.published().count(),
            "projects": Project.objects.published().count(),
        },
    )
    return {**counts, "contribution": contribution_total}


def activity_per_year():
    """[(year, rounds, seminars)] for every year with at least one (two queries)."""
    return cached("activity-per-year", _activity_per_year)


def _activity_per_year():
    rounds = Counter(
        dict(
            DialogueRound.objects.published()
            .annotate(year=ExtractYear("held_on"))
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    seminars = Counter(
        dict(
            Seminar.objects.published()
            .filter(held_on__isnull=False)
            .annotate(year=ExtractYear("held_on"))
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    return [(year, rounds[year], seminars[year]) for year in sorted(set(rounds) | set(seminars))]


def topic_attention(countries):
    """{(topic id, country id): mentions}: on the country's dialogue agenda, and each published round,
    seminar and project on the topic (five queries)."""
    country_ids = sorted(country.pk for country in countries)
    return cached(f"topic-attention:{','.join(map(str, country_ids))}", lambda: _topic_attention(country_ids))


def _topic_attention(country_ids):
    published_topics = Topic.objects.published().values("pk")
    counts = Counter()
    agenda = Country.dialogue_topics.through.objects.filter(country_id__in=country_ids, topic__in=published_topics)
    for pair in agenda.values_list("topic_id", "country_id"):
        counts[pair] += 1
    rounds = DialogueRound.topics.through.objects.filter(
        dialogueround__publication_status=PUBLISHED, topic__in=published_topics
    )
    for pair in rounds.values_list("topic_id", "dialogueround__country_id"):
        counts[pair] += 1
    for model in (Seminar, Project):
        name = model._meta.model_name
        record_topics = defaultdict(list)
        for record_id, topic_id in model.topics.through.objects.filter(
            **{f"{name}__publication_status": PUBLISHED}, topic__in=published_topics
        ).values_list(f"{name}_id", "topic_id"):
            record_topics[record_id].append(topic_id)
        for record_id, country_id in model.countries.through.objects.filter(
            **{f"{name}_id__in": list(record_topics)}, country_id__in=country_ids
        ).values_list(f"{name}_id", "country_id"):
            for topic_id in record_topics[record_id]:
                counts[(topic_id, country_id)] += 1
    return counts


@dataclass
class TimelineEntry:
    date: PartialDate | None
    kind: str
    kind_label: str
    title: str
    url: str
    note: str = ""

    @property
    def sort_key(self):
        return (self.date is None, self.date.date if self.date else None)


def timeline(rounds, seminars, projects):
    """Rounds, seminars and projects on one line, oldest first, undated ones last."""
    entries = [
        TimelineEntry(r.held, "round", _("Dialogue round"), str(r), r.get_absolute_url(), r.get_format_display())
        for r in rounds
    ]
    entries += [
        TimelineEntry(s.held, "seminar", _("Seminar"), s.title, s.get_absolute_url(), s.date_note) for s in seminars
    ]
    entries += [
        TimelineEntry(
            p.starts,
            "project",
            _("Project"),
            p.title,
            p.get_absolute_url(),
            (p.programme.acronym or p.programme.name) if p.programme.is_published else "",
        )
        for p in projects
    ]
    return sorted(entries, key=lambda entry: (entry.date is None, entry.date.date if entry.date else 0))


def topics_raised_most(*record_lists, agenda=()):
    """[(topic, mentions)] across the records' (prefetched) topics and the dialogue agenda."""
    counts, topics = Counter(), {}
    for records in record_lists:
        for record in records:
            for topic in record.topics.all():
                counts[topic.pk] += 1
                topics[topic.pk] = topic
    for topic in agenda:
        counts[topic.pk] += 1
        topics[topic.pk] = topic
    return [(topics[pk], n) for pk, n in sorted(counts.items(), key=lambda pair: (-pair[1], topics[pair[0]].name))]
