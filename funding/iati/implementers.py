"""The organisation of each implementer an IATI import names: the recorded one of its IATI
identifier (participating-org/@ref), else of its name (or acronym), else a new one, which keeps
the identifier. Looked up and created a batch of activities at a time, and kept for the rest of
the import, so that a file naming a few hundred implementers asks for each once."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dialogues.history import REASON_LENGTH
from dialogues.import_bulk import write_history
from dialogues.models import Organisation
from dialogues.publishing import PublicationStatus

NAME_LENGTH = 250  # Organisation.name
REF_LENGTH = 100  # Organisation.iati_ref
SLUG_BASE_LENGTH = 240  # Organisation.slug holds 250, with room for "-2", "-3", ...
PER_QUERY = 100  # names OR-ed in one query: SQLite parses a long OR as a deep expression


def name_key(name):
    """Names compared without regard to case, as `iexact` compares them."""
    return name[:NAME_LENGTH].upper()


def implementer_key(implementer):
    """One key per organisation the file names: its identifier where it gives one (two bodies of
    one name but different identifiers are two organisations), else its name."""
    if ref := implementer.ref.strip()[:REF_LENGTH]:
        return ("ref", ref.upper())
    return ("name", name_key(implementer.name_en))


class Implementers:
    def __init__(self, *, publish, user):
        self.publish, self.user = publish, user
        self.pks = {}  # implementer key -> the organisation's pk, or None: none recorded (yet)
        self.new = {}  # implementer key -> the Organisation to create for it (not yet saved)
        self.refused = {}  # implementer key -> why its organisation cannot be created
        self.last_created = []  # (key, Organisation) the last create() wrote, in a savepoint that may be rolled back

    def find(self, implementers):
        """Looks up the organisations of `implementers` not looked up before, in a query per
        PER_QUERY of them: the one of that identifier, else of that name (the first recorded),
        else of that acronym."""
        wanted = {}
        for implementer in implementers:
            if (key := implementer_key(implementer)) not in self.pks:
                wanted.setdefault(key, implementer.name_en[:NAME_LENGTH])
        keys = list(wanted)
        for start in range(0, len(keys), PER_QUERY):
            chunk = keys[start : start + PER_QUERY]
            condition = Q()
            for key in chunk:
                condition |= Q(name_en__iexact=wanted[key]) | Q(acronym__iexact=wanted[key])
                if key[0] == "ref":
                    condition |= Q(iati_ref__iexact=key[1])
            rows = list(Organisation.objects.filter(condition).values_list("pk", "name_en", "acronym", "iati_ref"))
            for key in chunk:
                name = name_key(wanted[key])
                by_ref = [pk for pk, *_names, ref in rows if key[0] == "ref" and ref.upper() == key[1]]
                by_name = [pk for pk, found, _acronym, _ref in rows if found and found.upper() == name]
                by_acronym = [pk for pk, _name, acronym, _ref in rows if acronym and acronym.upper() == name]
                found = by_ref or by_name or by_acronym
                self.pks[key] = min(found) if found else None

    def pk(self, implementer):
        """The pk of the implementer's organisation, None when it is still to be created."""
        return self.pks.get(implementer_key(implementer))

    def prepare(self, implementers):
        """Builds and checks the organisations to create for `implementers` (those none matched),
        each with a slug no recorded organisation has; {name key: why refused} for those that
        cannot be created. Nothing is written here."""
        fresh = {}
        for implementer in implementers:
            key = implementer_key(implementer)
            if self.pks.get(key) is None and key not in self.new and key not in self.refused:
                fresh.setdefault(key, implementer)
        taken = self._slugs_taken({_slug_base(implementer) for implementer in fresh.values()})
        taken |= {organisation.slug.lower() for organisation in self.new.values()}
        for key, implementer in fresh.items():
            base, number = _slug_base(implementer), 1
            slug = base
            while slug.lower() in taken:
                number += 1
                slug = f"{base}-{number}"
            organisation = Organisation(
                name_en=implementer.name_en[:NAME_LENGTH],
                name_ru=implementer.name_ru[:NAME_LENGTH],
                iati_ref=implementer.ref.strip()[:REF_LENGTH],
                slug=slug,
                kind=implementer.kind,
                publication_status=PublicationStatus.PUBLISHED if self.publish else PublicationStatus.DRAFT,
            )
            try:
                # the slug is unique among the recorded ones (asked above): no query per organisation
                organisation.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                self.refused[key] = "; ".join(error.messages)
                continue
            self.new[key] = organisation
            taken.add(slug.lower())
        keys = {implementer_key(implementer) for implementer in implementers}
        return {key: self.refused[key] for key in keys if key in self.refused}

    def create(self, implementers):
        """Writes the organisations prepared for `implementers` and not yet written, with their
        history entry (forget() them if their savepoint is rolled back)."""
        keys = {implementer_key(implementer) for implementer in implementers}
        self.last_created = [(key, self.new[key]) for key in sorted(keys) if self.pks.get(key) is None]
        created = [organisation for _key, organisation in self.last_created]
        if not created:
            return
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):  # as save() (dialogues/languages.py)
            Organisation.objects.bulk_create(created)
        reason = _("Implementer named in an IATI activity file")[:REASON_LENGTH]
        write_history(Organisation, [(organisation, True) for organisation in created], user=self.user, reason=reason)
        for key, organisation in self.last_created:
            self.pks[key] = organisation.pk

    def forget(self):
        """What the last create() wrote was rolled back: it is to be created again."""
        for key, organisation in self.last_created:
            self.pks[key] = None
            organisation.pk = None
            organisation._state.adding = True

    def _slugs_taken(self, bases):
        """The recorded slugs (in lower case) that are one of `bases` or one of them numbered."""
        taken, bases = set(), sorted(bases)
        for start in range(0, len(bases), PER_QUERY):
            condition = Q()
            for base in bases[start : start + PER_QUERY]:
                condition |= Q(slug__iexact=base) | Q(slug__istartswith=f"{base}-")
            taken.update(slug.lower() for slug in Organisation.objects.filter(condition).values_list("slug", flat=True))
        return taken


def _slug_base(implementer):
    return slugify(implementer.name_en)[:SLUG_BASE_LENGTH] or "organisation"
