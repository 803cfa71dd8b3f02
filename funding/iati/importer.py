"""Imports IATI activity files into projects: one transaction for the whole import, an upsert by
identifier that leaves an unchanged project untouched (no save, no history entry), and a history
entry naming the file for each project it creates or changes. Called by the command (and later the
admin) alike."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dialogues.cache import bump_generation
from dialogues.history import history_mark, merge_history
from dialogues.models import Country, Organisation, Source
from dialogues.publishing import PublicationStatus

from ..models import (
    ExchangeRate,
    IatiBudget,
    IatiFile,
    IatiTransaction,
    Project,
    ProjectCountryShare,
    ProjectSector,
    ProjectSourceKind,
    SectorTopic,
)
from .mapping import Scope, eu_contribution_eur, project_data
from .parse import Activity, FileHeader, IatiFileError, InvalidActivity, Skipped, read_activities

PUBLISHED, DRAFT = PublicationStatus.PUBLISHED, PublicationStatus.DRAFT
# the fields the import owns on a project; what editors add (places, concerns, a call, topics of
# their own, duplicate_of) it leaves alone
OWNED_FIELDS = (
    *("title_en", "title_ru", "summary_en", "summary_ru", "status", "starts_on", "ends_on"),
    *("recipient_region", "policy_markers", "iati_last_updated", "eu_contribution_eur", "implementing_organisation_id"),
)


@dataclass
class ImportSummary:
    files: list = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (identifier, reason)
    warnings: list = field(default_factory=list)

    def line(self):
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }


def iati_files(path):
    """The .xml files of a directory (sorted), or the one file; IatiFileError when there is none."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".xml")
    elif path.is_file():
        files = [path]
    else:
        raise IatiFileError(_("No such file or directory: %(path)s") % {"path": path})
    if not files:
        raise IatiFileError(_("No .xml file in %(path)s") % {"path": path})
    return files


def iati_files_import(*, paths, user=None, publish=False, countries=None, sectors=(), dry_run=False, progress=None):
    """Imports the files at `paths` in one transaction and returns an ImportSummary; a refused
    file raises IatiFileError and nothing is written. `countries`: ISO codes (default: the
    portal's countries); `sectors`: DAC codes, none for any; `progress`: called once per activity."""
    importer = _Importer(user=user, publish=publish, countries=countries, sectors=sectors, progress=progress)
    with transaction.atomic():
        mark = history_mark(Project)
        for path in paths:
            importer.import_file(Path(path))
        importer.link_hierarchy()
        changed = importer.summary.created + importer.summary.updated
        for iati_file, ids in importer.written_by_file.items():
            reason = _("Imported from the IATI file “%(file)s”") % {"file": iati_file.name}
            for chunk in _chunks(ids):
                merge_history(Project, mark, chunk, reason=reason)
        if user is not None:
            for chunk in _chunks(changed):
                Project.history.filter(history_id__gt=mark, id__in=chunk).update(history_user=user)
        if dry_run:
            transaction.set_rollback(True)
        elif changed:
            transaction.on_commit(bump_generation)  # the figures count children, not their parents
    return importer.summary


class _Importer:
    def __init__(self, *, user, publish, countries, sectors, progress):
        self.user, self.publish, self.progress = user, publish, progress or (lambda: None)
        self.portal_countries = dict(Country.objects.values_list("iso_code", "pk"))
        self.scope = Scope(countries=frozenset(countries or self.portal_countries), sectors=frozenset(sectors or ()))
        self.sector_topics = {row.code: row for row in SectorTopic.objects.all()}
        self.rates = {}
        self.summary = ImportSummary()
        self.written_by_file = {}  # IatiFile -> ids of the projects it created or changed
        self.hierarchy = {}  # identifier -> (parent identifier, children identifiers, project id)

    def import_file(self, path):
        sha256 = _sha256(path)
        iati_file, count = None, 0
        with path.open("rb") as stream:
            items = read_activities(stream)
            header = next(items, None)
            if not isinstance(header, FileHeader):
                raise IatiFileError(_("%(file)s holds no IATI activities.") % {"file": path.name})
            for item in items:
                count += 1
                self.progress()
                if isinstance(item, Skipped):
                    self.summary.skipped.append((item.identifier or _("(no identifier)"), item.reason))
                    continue
                reason = self.scope.excludes(item)
                if reason:
                    self.summary.skipped.append((item.identifier, reason))
                    continue
                if iati_file is None:
                    iati_file = self._file(path, sha256, header, item)
                self._import_activity(item, iati_file)
        if iati_file is not None:
            IatiFile.objects.filter(pk=iati_file.pk).update(activity_count=count)
        self.summary.files.append((path.name, count))

    def _file(self, path, sha256, header, first: Activity):
        existing = IatiFile.objects.filter(sha256=sha256).select_related("source").first()
        if existing is not None:
            if self.publish and not existing.source.is_published:  # imported as drafts before
                existing.source.publication_status = PUBLISHED
                existing.source._change_reason = _("Published by an IATI import (--publish)")
                existing.source.save()
            return existing
        reporting = first.reporting_org
        publisher = ""
        if reporting is not None:
            publisher = reporting.names.get("en") or next(iter(reporting.names.values()), "") or reporting.ref
        source = Source(
            title=(_("IATI activity file %(file)s") % {"file": path.name})[:300],
            publisher=publisher[:200],
            published_on=header.generated.date() if header.generated else None,
            published_on_precision="day" if header.generated else "",
            document=path.name[:200],
            description=_("IATI %(version)s activity file, SHA-256 %(sha256)s.")
            % {"version": header.version, "sha256": sha256},
            publication_status=PUBLISHED if self.publish else DRAFT,
        )
        source.full_clean()
        source.save()
        return IatiFile.objects.create(
            name=path.name[:255], sha256=sha256, imported_by=self.user, activity_count=0, source=source
        )

    def _import_activity(self, activity, iati_file):
        try:
            with transaction.atomic():  # an activity is written whole or not at all
                data = project_data(activity, self.portal_countries)
                outcome, project = self._upsert(data, iati_file)
        except (InvalidActivity, ValidationError, IntegrityError) as error:
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.summary.skipped.append((activity.identifier, reason))
            return
        self.hierarchy[data.identifier] = (data.parent, data.children, project.pk)
        getattr(self.summary, outcome).append(project.pk)
        if outcome != "unchanged":
            self.written_by_file.setdefault(iati_file, []).append(project.pk)

    def _upsert(self, data, iati_file):
        project = by_identifier(data.identifier).first()
        values = self._values(data)
        topics = {row.topic_id for code, _p in data.sectors if (row := self.sector_topics.get(code)) and row.maps}
        self._warn_withdrawn(data)
        if project is None:
            project = Project(
                source_kind=ProjectSourceKind.IATI,
                iati_identifier=data.identifier,
                publication_status=PUBLISHED if self.publish else DRAFT,
            )
            outcome = "created"
        elif self._unchanged(project, values, data, topics):
            return "unchanged", project
        else:
            outcome = "updated"
        for name, value in values.items():
            setattr(project, name, value)
        project.iati_file = iati_file
        if self.publish:
            project.publication_status = PUBLISHED
        project.full_clean(exclude=["iati_parent"])
        project.save()
        if _relate(project, [self.portal_countries[code] for code in data.country_codes], topics, iati_file.source):
            project.save()  # a history entry with the relations as they now are (merged into one)
        self._replace_rows(project, data)
        return outcome, project

    def _values(self, data):
        organisation = self._organisation(data.implementer) if data.implementer else None
        return {
            "title_en": data.title_en,
            "title_ru": data.title_ru,
            "summary_en": data.summary_en,
            "summary_ru": data.summary_ru,
            "status": data.status,
            "starts_on": data.starts_on,
            "starts_on_precision": "day" if data.starts_on else "",
            "ends_on": data.ends_on,
            "ends_on_precision": "day" if data.ends_on else "",
            "recipient_region": data.region,
            "policy_markers": data.policy_markers,
            "iati_last_updated": data.last_updated,
            "eu_contribution_eur": eu_contribution_eur(data.transactions, self._rate),
            "implementing_organisation_id": organisation.pk if organisation else None,
        }

    def _unchanged(self, project, values, data, topics):
        if self.publish and project.publication_status != PUBLISHED:
            return False
        if any(not _same(getattr(project, name), values[name]) for name in OWNED_FIELDS):
            return False
        countries = set(project.countries.values_list("pk", flat=True))
        return (
            countries == {self.portal_countries[code] for code in data.country_codes}
            and topics <= set(project.topics.values_list("pk", flat=True))
            and _rows(project) == _rows_of(data)
        )

    def _replace_rows(self, project, data):
        for model in (ProjectCountryShare, ProjectSector, IatiTransaction, IatiBudget):
            model.objects.filter(project=project).delete()
        ProjectCountryShare.objects.bulk_create(
            ProjectCountryShare(project=project, country_code=code, percentage=pct) for code, pct in data.shares
        )
        ProjectSector.objects.bulk_create(
            ProjectSector(project=project, code=code, percentage=pct) for code, pct in data.sectors
        )
        IatiTransaction.objects.bulk_create(
            IatiTransaction(
                project=project,
                transaction_type=t.type,
                value=t.value,
                currency=t.currency,
                value_date=t.value_date,
                transaction_date=t.transaction_date,
            )
            for t in data.transactions
        )
        IatiBudget.objects.bulk_create(
            IatiBudget(
                project=project,
                budget_type=b.type,
                status=b.status,
                period_start=b.period_start,
                period_end=b.period_end,
                value=b.value,
                currency=b.currency,
                value_date=b.value_date,
            )
            for b in data.budgets
        )

    def _organisation(self, implementer):
        """The recorded organisation of that name (or acronym), else a new one."""
        found = (
            Organisation.objects.filter(name_en__iexact=implementer.name_en).order_by("pk").first()
            or Organisation.objects.filter(acronym__iexact=implementer.name_en).order_by("pk").first()
        )
        if found is not None:
            return found
        base = slugify(implementer.name_en)[:240] or "organisation"
        slug, number = base, 1
        while Organisation.objects.filter(slug__iexact=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        organisation = Organisation(
            name_en=implementer.name_en[:250],
            name_ru=implementer.name_ru[:250],
            slug=slug,
            kind=implementer.kind,
            publication_status=PUBLISHED if self.publish else DRAFT,
        )
        organisation._change_reason = _("Implementer named in an IATI activity file")
        organisation.full_clean()
        organisation.save()
        return organisation

    def _rate(self, currency, day):
        if currency not in self.rates:
            self.rates[currency] = list(
                ExchangeRate.objects.filter(currency=currency).values_list("valid_from", "valid_until", "eur_per_unit")
            )
        return next((rate for start, end, rate in self.rates[currency] if start <= day <= end), None)

    def _warn_withdrawn(self, data):
        for code, _percentage in data.sectors:
            row = self.sector_topics.get(code)
            if row is not None and row.withdrawn:
                self.summary.warnings.append(
                    _("%(identifier)s: sector %(code)s is withdrawn from the DAC list; kept, mapped to no topic")
                    % {"identifier": data.identifier, "code": code}
                )

    def link_hierarchy(self):
        """A child points to its parent, whichever file or order they came in; a parent with
        children recorded is not counted again in totals (funding/aggregates.py)."""
        ids = {identifier.lower(): pk for identifier, (_p, _c, pk) in self.hierarchy.items()}
        wanted = {}
        for parent, children, pk in self.hierarchy.values():
            if parent:
                wanted[pk] = ids.get(parent.lower()) or _project_id(parent)
            for child in children:
                child_pk = ids.get(child.lower()) or _project_id(child)
                if child_pk:
                    wanted.setdefault(child_pk, pk)
        children = Project.objects.filter(pk__in=wanted).select_related("iati_file")
        for child in children:
            parent_pk = wanted[child.pk]
            if parent_pk and parent_pk != child.pk and child.iati_parent_id != parent_pk:
                child.iati_parent_id = parent_pk
                child.save(update_fields=["iati_parent", "updated_at"])  # merged into the import's entry
                self.written_by_file.setdefault(child.iati_file, []).append(child.pk)
                if child.pk in self.summary.unchanged:
                    self.summary.unchanged.remove(child.pk)
                    self.summary.updated.append(child.pk)


def _relate(project, countries, topics, source):
    """Sets the project's countries, adds its topics and the file's source, through the tables
    themselves: django-simple-history writes a whole history entry for every `.set()` or `.add()`,
    half of an import's time. Whether anything changed."""
    changed = False
    for name, wanted, replace in (("countries", set(countries), True), ("topics", topics, False)):
        changed |= _relate_one(project, name, wanted, replace=replace)
    return _relate_one(project, "sources", {source.pk}, replace=False) or changed


def _relate_one(project, name, wanted, *, replace):
    relation = getattr(Project, name)
    through, column = relation.through, relation.field.m2m_reverse_field_name()
    rows = through.objects.filter(project=project)
    current = set(rows.values_list(column, flat=True))
    gone = current - wanted if replace else set()
    if gone:
        rows.filter(**{f"{column}__in": gone}).delete()
    through.objects.bulk_create(through(project=project, **{f"{column}_id": pk}) for pk in wanted - current)
    return bool(gone or wanted - current)


def _chunks(ids, size=5000):
    """Ids a few thousand at a time: a database takes a bounded number of query parameters."""
    ids = list(dict.fromkeys(ids))
    return (ids[start : start + size] for start in range(0, len(ids), size))


def _project_id(identifier):
    return by_identifier(identifier).values_list("pk", flat=True).first()


def by_identifier(identifier):
    """The project of an IATI identifier, in any case, through the index of its unique constraint."""
    return Project.objects.alias(identifier_key=Lower("iati_identifier")).filter(identifier_key=identifier.lower())


def _rows(project):
    """The stated rows of a project, comparable with _rows_of()."""
    return (
        sorted(project.country_shares.values_list("country_code", "percentage")),
        sorted(project.sectors.values_list("code", "percentage")),
        sorted(
            project.transactions.values_list("transaction_type", "value", "currency", "value_date", "transaction_date")
        ),
        sorted(
            project.budgets.values_list(
                "budget_type", "period_start", "period_end", "value", "currency", "value_date", "status"
            ),
            key=_budget_key,
        ),
    )


def _rows_of(data):
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


def _same(recorded, stated):
    return recorded == stated or (recorded in (None, "") and stated in (None, ""))


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
