"""The country x topic matrix of the follow-up tracker: for each cell, how many of the country's
rounds raised the topic, the latest status of its concerns, and the known EU funding of its
projects (the rule of funding/aggregates.py applied to the cell's projects).

A round raised a topic when the topic is among its topics or when a concern under the topic has
an entry at it other than "not mentioned". Computed in a fixed number of queries, cached until
the next edit; the page, its CSV and the API read the same table.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from dialogues.cache import cached
from dialogues.models import Concern, ConcernStatus, Country, DialogueRound, Topic
from dialogues.publishing import PublicationStatus
from dialogues.querysets import country_codes
from dialogues.tracker import public_entries
from funding.aggregates import contribution_of_projects, not_counted_again, package_members
from funding.models import Project, ProjectSourceKind

from . import charts

MEASURES = ("rounds", "funding", "status")
PUBLISHED = PublicationStatus.PUBLISHED


@dataclass
class MatrixCell:
    country: Country
    topic: Topic
    rounds: int = 0
    concerns: int = 0
    latest_status: str = ""  # the current status of the cell's concern with the latest entry
    funding: object = None  # ProjectsContribution, or None without projects
    projects: int = 0
    projects_iati: int = 0  # of `projects`, those imported from IATI activity files

    @property
    def latest_status_label(self):
        return ConcernStatus(self.latest_status).label if self.latest_status else ""

    @property
    def funding_total(self):
        return self.funding.total if self.funding else None


@dataclass
class Matrix:
    countries: list
    topics: list  # those with anything in any cell
    cells: dict = field(default_factory=dict)  # (country id, topic id) -> MatrixCell

    def rows(self):
        """[(topic, [cell per country])]"""
        return [(topic, [self.cells[(c.pk, topic.pk)] for c in self.countries]) for topic in self.topics]


def country_topic_matrix():
    return cached("country-topic-matrix", _country_topic_matrix)


def _country_topic_matrix():
    countries = list(Country.objects.published().order_by("name"))
    topics = list(Topic.objects.published().order_by("name"))
    cells = {(c.pk, t.pk): MatrixCell(c, t) for c in countries for t in topics}
    country_ids = {c.pk for c in countries}
    rounds = DialogueRound.objects.published().filter(country__in=country_ids)
    raised = defaultdict(set)  # (country, topic) -> round ids
    through = DialogueRound.topics.through.objects.filter(dialogueround__in=rounds)
    for round_id, topic_id, country_id in through.values_list("dialogueround", "topic", "dialogueround__country"):
        raised[(country_id, topic_id)].add(round_id)
    concerns = Concern.objects.published().filter(country__in=country_ids)
    concern_topics = defaultdict(set)
    for concern_id, topic_id in Concern.topics.through.objects.filter(concern__in=concerns).values_list(
        "concern", "topic"
    ):
        concern_topics[concern_id].add(topic_id)
    latest = {}  # concern -> (date, id, status)
    entries = public_entries().filter(concern__in=concerns)
    for concern_id, country_id, round_id, status, on, pk in entries.values_list(
        "concern", "concern__country", "dialogue_round", "status", "occasion_on", "pk"
    ):
        for topic_id in concern_topics[concern_id]:
            if round_id and status != ConcernStatus.NOT_MENTIONED:
                raised[(country_id, topic_id)].add(round_id)
        if concern_id not in latest or (on, pk) > latest[concern_id][:2]:
            latest[concern_id] = (on, pk, status, country_id)
    cell_latest = {}
    for concern_id, (on, pk, status, country_id) in latest.items():
        for topic_id in concern_topics[concern_id]:
            key = (country_id, topic_id)
            if key in cells:
                cells[key].concerns += 1
                if key not in cell_latest or (on, pk) > cell_latest[key]:
                    cell_latest[key] = (on, pk)
                    cells[key].latest_status = status
    for key, round_ids in raised.items():
        if key in cells:
            cells[key].rounds = len(round_ids)
    projects = list(
        Project.objects.published()
        .select_related("programme", "call__parent")
        .prefetch_related(Prefetch("countries", queryset=country_codes()), "topics")
    )
    by_cell = defaultdict(list)
    for project in projects:
        for country in project.countries.all():
            for topic in project.topics.all():
                by_cell[(country.pk, topic.pk)].append(project)
    packages = {c.pk for p in projects for c in (p.call, p.call.parent if p.call else None) if c is not None}
    members = package_members(packages)  # once for every cell
    not_counted = not_counted_again(projects)  # duplicates, IATI parents: once for every cell
    for key, cell_projects in by_cell.items():
        if key in cells:
            cells[key].projects = len(cell_projects)
            cells[key].projects_iati = sum(p.source_kind == ProjectSourceKind.IATI for p in cell_projects)
            cells[key].funding = contribution_of_projects(cell_projects, members, not_counted)
    used = [t for t in topics if any(_filled(cells[(c.pk, t.pk)]) for c in countries)]
    return Matrix(countries=countries, topics=used, cells=cells)


def _filled(cell):
    return cell.rounds or cell.concerns or cell.projects


def measure_value(cell, measure):
    if measure == "funding":
        return cell.funding_total
    if measure == "status":
        return cell.concerns
    return cell.rounds


def heat_map(table, measure):
    """The matrix's heat map geometry (charts.heat_map): topics as rows, countries as columns."""
    rows = []
    for topic, cells in table.rows():
        values = [measure_value(cell, measure) or 0 for cell in cells]
        if measure == "funding":  # shades by order of magnitude: amounts span five of them
            values = [len(str(int(value))) - 3 if value else 0 for value in values]
        rows.append((topic.name, values))
    # long topic names wrap onto further lines (never cut), as on the topics page
    return charts.heat_map("", [c.iso_code for c in table.countries], rows)


CSV_COLUMNS = (
    "country",
    "country_name",
    "topic",
    "topic_name",
    "rounds_raised",
    "concerns",
    "latest_status",
    "projects",
    "projects_from_iati",
    "known_eu_contribution_eur",
)


def csv_rows(table):
    for topic, cells in table.rows():
        for cell in cells:
            if not _filled(cell):
                continue
            total = cell.funding_total
            yield (
                cell.country.iso_code,
                cell.country.name,
                topic.slug,
                topic.name,
                cell.rounds,
                cell.concerns,
                cell.latest_status,
                cell.projects,
                cell.projects_iati,
                "" if total is None else f"{total:.2f}",
            )
