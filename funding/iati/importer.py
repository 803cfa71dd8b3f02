"""Imports IATI activity files into projects: one transaction for the whole import, an upsert by
identifier that leaves an unchanged project untouched (no save, no history entry), and a history
entry naming the file for each project it creates or changes. Called by the command (and later the
admin) alike.

Activities are written BATCH_SIZE at a time, in a fixed number of queries per batch (stored.py):
one activity at a time, each asking for its project, its relations and rows, its constraints, its
save and history, an import wrote about 25 activities a second. An activity that is invalid
(unreadable, unmapped, failing the project's validation or its constraints) is skipped with its
reason before anything of its batch is written; should the database still refuse a batch, the
batch is written again one activity at a time, and only the refused ones are skipped.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.cache import bump
from dialogues.constraint_messages import MESSAGES
from dialogues.history import REASON_LENGTH
from dialogues.import_bulk import check_constraint_errors, write_history, written_in_bulk
from dialogues.models import Country, Source
from dialogues.partial_dates import normalise_partial_dates
from dialogues.publishing import PublicationStatus
from dialogues_portal.content_refresh import queue_refresh

from ..models import ExchangeRate, IatiFile, Project, ProjectSourceKind, SectorTopic
from .hierarchy import link_children
from .implementers import Implementers, implementer_key
from .mapping import ProjectData, Scope, eu_contribution_eur, project_data
from .parse import Activity, FileHeader, IatiFileError, InvalidActivity, Skipped, read_activities
from .stored import Ref, stated_rows, stored_projects, write_projects

PUBLISHED, DRAFT = PublicationStatus.PUBLISHED, PublicationStatus.DRAFT
BATCH_SIZE = 500  # activities written together
# the fields the import owns on a project; what editors add (places, concerns, a call, topics of
# their own, duplicate_of) it leaves alone
OWNED_FIELDS = (
    *("title_en", "title_ru", "summary_en", "summary_ru", "status", "starts_on", "ends_on"),
    *("recipient_region", "policy_markers", "iati_last_updated", "eu_contribution_eur", "implementing_organisation_id"),
)
# full_clean() would ask the database, per project, whether each of these records exists: they do
# (stored foreign keys, the organisation just matched or about to be created, the file's record)
FOREIGN_KEYS = [field.name for field in Project._meta.concrete_fields if field.is_relation]
NOT_CHECKED = {"iati_parent"}  # linked once every file is read (link_hierarchy)


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
        for path in paths:
            importer.import_file(Path(path))
        importer.link_hierarchy()
        importer.write_history()
        if dry_run:
            transaction.set_rollback(True)
        elif importer.summary.created or importer.summary.updated:
            written_in_bulk.send(sender=Project)
            # bulk writes send no signal: what read projects, organisations or sources goes now,
            # and again once others can read the rows
            written = lambda: (bump("funding"), bump("shared"))  # noqa: E731
            written()
            transaction.on_commit(written)
            transaction.on_commit(queue_refresh)  # then the worker stores the slow pages again
    return importer.summary


@dataclass(eq=False)
class _Entry:
    """An activity of a batch on its way: read, mapped, compared with its project, then written,
    left unchanged or skipped with its reason."""

    identifier: str
    activity: Activity | None = None
    iati_file: IatiFile | None = None
    reason: str = ""
    data: ProjectData | None = None
    project: Project | None = None
    outcome: str = ""  # created, updated, unchanged
    relations: dict = field(default_factory=dict)  # many-to-many field -> pks, as they are to be


class _Importer:
    def __init__(self, *, user, publish, countries, sectors, progress):
        self.user, self.publish, self.progress = user, publish, progress or (lambda: None)
        self.portal_countries = dict(Country.objects.values_list("iso_code", "pk"))
        self.scope = Scope(countries=frozenset(countries or self.portal_countries), sectors=frozenset(sectors or ()))
        self.sector_topics = {row.code: row for row in SectorTopic.objects.all()}
        self.rates = {}
        self.implementers = Implementers(publish=publish, user=user)
        self.summary = ImportSummary()
        self.batch, self.batch_keys = [], set()
        self.written = {}  # pk -> (created in this import, the file's name) of the projects to give an entry
        self.relations = []  # (pk, parent identifier, children identifiers, file name)

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
                    self._add(_Entry(identifier=item.identifier or _("(no identifier)"), reason=item.reason))
                    continue
                reason = self.scope.excludes(item)
                if reason:
                    self._add(_Entry(identifier=item.identifier, reason=reason))
                    continue
                if iati_file is None:
                    iati_file = self._file(path, sha256, header, item)
                self._add(_Entry(identifier=item.identifier, activity=item, iati_file=iati_file))
            self._flush()
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

    def _add(self, entry):
        """Adds an entry to the batch, writing the batch first when it is full or holds the same
        identifier (the second is then compared with what the first wrote)."""
        key = entry.identifier.lower() if entry.activity is not None else None
        if len(self.batch) >= BATCH_SIZE or key in self.batch_keys:
            self._flush()
        self.batch.append(entry)
        if key is not None:
            self.batch_keys.add(key)

    def _flush(self):
        entries, self.batch, self.batch_keys = self.batch, [], set()
        for entry in entries:
            if entry.activity is not None:
                try:
                    entry.data = project_data(entry.activity, self.portal_countries)
                except InvalidActivity as error:
                    entry.reason = str(error)
                else:
                    self._warn_withdrawn(entry.data)
        mapped = [entry for entry in entries if entry.data is not None and not entry.reason]
        stored = stored_projects([entry.data.identifier for entry in mapped])
        self.implementers.find(entry.data.implementer for entry in mapped if entry.data.implementer)
        for entry in mapped:
            self._compare(entry, stored.get(entry.data.identifier.lower()))
        changed = [entry for entry in mapped if entry.outcome != "unchanged"]
        refused = self.implementers.prepare([entry.data.implementer for entry in changed if entry.data.implementer])
        for entry in changed:
            if entry.data.implementer and self.implementers.pk(entry.data.implementer) is None:
                entry.reason = refused.get(implementer_key(entry.data.implementer), "")
        self._validate([entry for entry in changed if not entry.reason])
        self._write([entry for entry in changed if not entry.reason])
        for entry in entries:
            self._record(entry)

    def _compare(self, entry, stored):
        """Decides whether the entry creates, updates or leaves its project unchanged, and sets on
        the project what is to be written."""
        data = entry.data
        values = self._values(data)
        topics = {row.topic_id for code, _p in data.sectors if (row := self.sector_topics.get(code)) and row.maps}
        countries = {self.portal_countries[code] for code in data.country_codes}
        # an implementer whose organisation is still to be created changes the project
        pending = data.implementer is not None and values["implementing_organisation_id"] is None
        if stored is None:
            entry.project = Project(
                source_kind=ProjectSourceKind.IATI,
                iati_identifier=data.identifier,
                publication_status=PUBLISHED if self.publish else DRAFT,
            )
            entry.outcome = "created"
            stored_topics, stored_sources = set(), set()
        else:
            entry.project = stored.project
            if not pending and self._unchanged(stored, values, data, countries, topics):
                entry.outcome = "unchanged"
                return
            entry.outcome = "updated"
            stored_topics, stored_sources = stored.topics, stored.sources
        project = entry.project
        for name, value in values.items():
            setattr(project, name, value)
        project.iati_file = entry.iati_file
        if self.publish:
            project.publication_status = PUBLISHED
        normalise_partial_dates(project, "starts_on", "ends_on")  # what save() does
        # countries as stated; topics and sources added to those editors and other files gave
        entry.relations = {
            "countries": countries,
            "topics": stored_topics | topics,
            "sources": stored_sources | {entry.iati_file.source_id},
        }

    def _validate(self, entries):
        """Skips, with their reasons, the entries whose project fails full_clean() (run without the
        database: the foreign keys and constraints are checked apart), states a country or sector
        twice, or breaks a check constraint (asked for the whole batch at once, as the spreadsheet
        import asks, dialogues/import_bulk.py). The unique identifier needs no query: the batch
        read every project of its identifiers and holds each identifier once."""
        for entry in entries:
            try:
                entry.project.full_clean(exclude=FOREIGN_KEYS, validate_constraints=False)
            except ValidationError as error:
                entry.reason = "; ".join(error.messages)
                continue
            entry.reason = _twice_stated(entry.data)
        checked = [entry for entry in entries if not entry.reason]
        projects = [entry.project for entry in checked]
        violations = check_constraint_errors(Project, projects, [NOT_CHECKED] * len(projects))
        for index, errors in violations.items():
            checked[index].reason = "; ".join(str(message) for messages in errors.values() for message in messages)

    def _write(self, entries):
        """Writes the entries' projects in one savepoint; should the database refuse any, writes
        them again one at a time and skips those it refuses."""
        if not entries:
            return
        try:
            self._write_together(entries)
        except IntegrityError:
            for entry in entries:
                try:
                    self._write_together([entry])
                except IntegrityError as error:
                    entry.reason = str(error)

    def _write_together(self, entries):
        try:
            with transaction.atomic():
                self.implementers.create([entry.data.implementer for entry in entries if entry.data.implementer])
                now = timezone.now()
                for entry in entries:
                    if entry.data.implementer:
                        entry.project.implementing_organisation_id = self.implementers.pk(entry.data.implementer)
                    if entry.outcome == "updated":
                        entry.project.updated_at = now  # what save() does; bulk_create() sets it for new ones
                write_projects(
                    [(entry.project, entry.outcome == "created", entry.relations, entry.data) for entry in entries]
                )
        except IntegrityError:
            self.implementers.forget()
            for entry in entries:
                if entry.outcome == "created":  # as it was before the write that was rolled back
                    entry.project.pk = None
                    entry.project._state.adding = True
            raise

    def _record(self, entry):
        """The entry's outcome in the summary, and what the end of the import needs of it."""
        if entry.reason:
            self.summary.skipped.append((entry.identifier, entry.reason))
            return
        pk, name = entry.project.pk, entry.iati_file.name
        getattr(self.summary, entry.outcome).append(pk)
        if entry.data.parent or entry.data.children:
            self.relations.append((pk, entry.data.parent, entry.data.children, name))
        if entry.outcome != "unchanged":
            created = entry.outcome == "created" or self.written.get(pk, (False,))[0]
            self.written[pk] = (created, name)

    def _values(self, data):
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
            "implementing_organisation_id": self.implementers.pk(data.implementer) if data.implementer else None,
        }

    def _unchanged(self, stored, values, data, countries, topics):
        project = stored.project
        if self.publish and project.publication_status != PUBLISHED:
            return False
        if any(not _same(getattr(project, name), values[name]) for name in OWNED_FIELDS):
            return False
        return stored.countries == countries and topics <= stored.topics and stored.rows() == stated_rows(data)

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
        """Links the children to their parents; a child linked is updated by the import."""
        linked = link_children(self.relations)
        unchanged, moved = set(self.summary.unchanged), []
        for pk, name in linked:
            if pk not in self.written:
                self.written[pk] = (False, name)
            if pk in unchanged:
                unchanged.discard(pk)
                moved.append(pk)
        if moved:
            gone = set(moved)
            self.summary.unchanged = [pk for pk in self.summary.unchanged if pk not in gone]
            self.summary.updated.extend(moved)

    def write_history(self):
        """One history entry for each project created or changed, naming the file, written once
        every file is read and linked (so that it holds the project as the import leaves it), as
        the spreadsheet import writes its entries (dialogues/import_bulk.py)."""
        by_file = {}
        for pk, (created, name) in self.written.items():
            by_file.setdefault(name, []).append((Ref(pk), created))
        for name, saved in by_file.items():
            reason = _("Imported from the IATI file “%(file)s”") % {"file": name}
            write_history(Project, saved, user=self.user, reason=reason[:REASON_LENGTH])


def _twice_stated(data):
    """Why the stated rows break a unique constraint of theirs, or ""."""
    for rows, constraint in (
        (data.shares, "projectcountryshare_once_per_project"),
        (data.sectors, "projectsector_once_per_project"),
    ):
        codes = [code for code, _percentage in rows]
        if len(set(codes)) != len(codes):
            return str(MESSAGES[constraint][1])
    return ""


def _same(recorded, stated):
    return recorded == stated or (recorded in (None, "") and stated in (None, ""))


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
