"""What the portal holds of a batch of IATI activities, and how a batch's projects are written: a
fixed number of queries for each batch of activities, whatever its size (importer.py decides what
to write).

Read: the projects of the batch's identifiers in one query, their countries, topics and sources in
one query each, and their stated rows (country shares, sectors, transactions, budgets) in one query
per table. Written: the new projects by bulk_create, the changed ones by update_in_bulk, their
many-to-many rows as the spreadsheet import writes them (dialogues/import_bulk.py), and their stated
rows by one delete and one bulk_create per table.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models.functions import Lower
from django.utils import translation

from dialogues.import_bulk import update_in_bulk, write_many_to_many

from ..models import IatiBudget, IatiTransaction, Project, ProjectCountryShare, ProjectSector

ROW_MODELS = (ProjectCountryShare, ProjectSector, IatiTransaction, IatiBudget)
# what the import writes on a project it updates (the original columns of the translated texts
# too: they are read in the language active, as save() reads them)
UPDATED_FIELDS = (
    *("title", "title_en", "title_ru", "summary", "summary_en", "summary_ru", "status"),
    *("starts_on", "starts_on_precision", "ends_on", "ends_on_precision", "recipient_region", "policy_markers"),
    *("iati_last_updated", "eu_contribution_eur", "implementing_organisation", "iati_file", "publication_status"),
    "updated_at",
)


@dataclass
class Stored:
    """A recorded project with its relations and stated rows, as a batch compares them."""

    project: Project
    countries: set = field(default_factory=set)
    topics: set = field(default_factory=set)
    sources: set = field(default_factory=set)
    shares: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    transactions: list = field(default_factory=list)
    budgets: list = field(default_factory=list)

    def rows(self):
        """The stated rows, comparable with stated_rows()."""
        return (
            sorted(self.shares),
            sorted(self.sectors),
            sorted(self.transactions),
            sorted(self.budgets, key=_budget_key),
        )


@dataclass(frozen=True, slots=True)
class Ref:
    """A record by its pk: all that write_many_to_many() and write_history() read of one."""

    pk: int


def stored_projects(identifiers):
    """{identifier in lower case: Stored} of the recorded projects among `identifiers`."""
    if not identifiers:
        return {}
    projects = (
        Project.objects.alias(identifier_key=Lower("iati_identifier"))
        .filter(identifier_key__in={identifier.lower() for identifier in identifiers})
        .select_related("duplicate_of")  # read by Project.clean()
    )
    stored = {project.pk: Stored(project) for project in projects}
    if not stored:
        return {}
    for name in ("countries", "topics", "sources"):
        relation = Project._meta.get_field(name)
        through, column = relation.remote_field.through, relation.m2m_reverse_field_name()
        for project_id, pk in through.objects.filter(project_id__in=stored).values_list("project_id", column):
            getattr(stored[project_id], name).add(pk)
    rows = {
        "shares": ProjectCountryShare.objects.values_list("project_id", "country_code", "percentage"),
        "sectors": ProjectSector.objects.values_list("project_id", "code", "percentage"),
        "transactions": IatiTransaction.objects.values_list(
            "project_id", "transaction_type", "value", "currency", "value_date", "transaction_date"
        ),
        "budgets": IatiBudget.objects.values_list(
            "project_id", "budget_type", "period_start", "period_end", "value", "currency", "value_date", "status"
        ),
    }
    for name, queryset in rows.items():
        for project_id, *row in queryset.filter(project_id__in=stored).order_by():
            getattr(stored[project_id], name).append(tuple(row))
    return {item.project.iati_identifier.lower(): item for item in stored.values()}


def stated_rows(data):
    """The rows an activity states (its ProjectData's), comparable with Stored.rows()."""
    return (
        sorted(data.shares),
        sorted(data.sectors),
        sorted((t.type, t.value, t.currency, t.value_date, t.transaction_date) for t in data.transactions),
        sorted(
            ((b.type, b.period_start, b.period_end, b.value, b.currency, b.value_date, b.status) for b in data.budgets),
            key=_budget_key,
        ),
    )


def _budget_key(row):
    return row[:6]  # the status may be None


def write_projects(written):
    """Writes the projects of `written` ([(Project, created, {m2m field: {pk}}, ProjectData)]): the
    new ones created, the others updated, their many-to-many rows replaced by those given, and
    their stated rows by those of the data."""
    created = [project for project, is_new, _relations, _data in written if is_new]
    updated = [project for project, is_new, _relations, _data in written if not is_new]
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):  # as save() (dialogues/languages.py)
        Project.objects.bulk_create(created)
        update_in_bulk(Project, updated, UPDATED_FIELDS)
    saved = [(project, is_new) for project, is_new, _relations, _data in written]
    chosen = {
        project.pk: {name: [Ref(pk) for pk in sorted(pks)] for name, pks in relations.items()}
        for project, _is_new, relations, _data in written
    }
    write_many_to_many(Project, saved, chosen)
    if updated:
        for model in ROW_MODELS:
            _delete(model.objects.filter(project_id__in=[project.pk for project in updated]))
    ProjectCountryShare.objects.bulk_create(
        ProjectCountryShare(project_id=project.pk, country_code=code, percentage=percentage)
        for project, _is_new, _relations, data in written
        for code, percentage in data.shares
    )
    ProjectSector.objects.bulk_create(
        ProjectSector(project_id=project.pk, code=code, percentage=percentage)
        for project, _is_new, _relations, data in written
        for code, percentage in data.sectors
    )
    IatiTransaction.objects.bulk_create(
        IatiTransaction(
            project_id=project.pk,
            transaction_type=t.type,
            value=t.value,
            currency=t.currency,
            value_date=t.value_date,
            transaction_date=t.transaction_date,
        )
        for project, _is_new, _relations, data in written
        for t in data.transactions
    )
    IatiBudget.objects.bulk_create(
        IatiBudget(
            project_id=project.pk,
            budget_type=b.type,
            status=b.status,
            period_start=b.period_start,
            period_end=b.period_end,
            value=b.value,
            currency=b.currency,
            value_date=b.value_date,
        )
        for project, _is_new, _relations, data in written
        for b in data.budgets
    )


def _delete(queryset):
    """One DELETE: QuerySet.delete() would read the rows first and send a signal for each, as the
    portal's cache listens to every model's deletes (dialogues/cache.py); the import bumps it once."""
    queryset._raw_delete(queryset.db)
