"""The public record around the five source documents: fixtures/record/*.json, loaded into the models.

Each file holds what the pages of the public record state about one country (or the forums, or
the funding), in a form a person can read and extend: sources by URL, dialogue rounds with the
concerns raised at each, seminars and forums, programmes, packages, projects and stated figures.
Every value a page states names that page (`cite`); what no page states is absent, never guessed.
The format is described in fixtures/record/README.md.

Loading is idempotent: records are matched by their natural keys (a source by its URL, a round by
its country, format and number or date, a concern by its slug...) and updated in place; each
record's citations are those of the file. Everything is validated (`full_clean()`) and written in
one transaction: a file with one bad value loads nothing and names the record and the field.
"""

import json
import re
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from dialogues.choices import Qualifier
from dialogues.models import (
    Citation,
    CitationBasis,
    Concern,
    ConcernEntry,
    Country,
    DialogueFormat,
    DialogueRound,
    NumberBasis,
    Organisation,
    OrganisationKind,
    Source,
    SourceKind,
    Topic,
)
from dialogues.partial_dates import parse_partial_date
from dialogues.publishing import PublicationStatus
from funding.models import Call, FigurePeriod, FundingFigure, Programme, Project
from seminars.models import Seminar

PUBLISHED = PublicationStatus.PUBLISHED

# The topics the public record adds to those of the source documents.
RECORD_TOPICS = {
    "death-penalty": "Abolition of the death penalty",
    "freedom-of-assembly-and-association": "Freedom of peaceful assembly and association",
    "freedom-of-expression": "Freedom of expression",
    "freedom-of-religion": "Freedom of religion or belief",
    "civil-society-space": "Civil society space and NGO registration",
    "detention-and-disappearances": "Conditions of detention, access to prisoners and enforced disappearances",
}
# Their Russian names (the portal's own taxonomy, translated).
RECORD_TOPICS_RU = {
    "death-penalty": "Отмена смертной казни",
    "freedom-of-assembly-and-association": "Свобода мирных собраний и ассоциаций",
    "freedom-of-expression": "Свобода выражения мнений",
    "freedom-of-religion": "Свобода религии или убеждений",
    "civil-society-space": "Пространство для гражданского общества и регистрация НКО",
    "detention-and-disappearances": (
        "Условия содержания под стражей, доступ к заключённым и насильственные исчезновения"
    ),
}

# The file's names of a round's values, and the model fields they fill.
ROUND_FIELDS = {
    "held": "held_on",
    "held_until": "held_until",
    "number": "sequence_number",
    "city": "place",
    "modality": "modality",
    "alongside": "alongside",
    "alongside_number": "alongside_number",
    "eu_lead": "eu_lead",
    "partner_lead": "partner_lead",
}
# A country's facts (its record comes from the source documents): which page states each.
COUNTRY_FIELDS = {
    "dialogue_agreed": "dialogue_agreed_on",
    "dialogue_started": "dialogue_started_on",
    "dialogue_start_form": "dialogue_start_form",
    "eu_agreement": "eu_agreement",
    "trade_preference": "trade_preference",
}
SEMINAR_FIELDS = {
    "held": "held_on",
    "city": "city",
    "online": "online",
    "edition": "edition",
    "organisers": "organisers",
    "participants": "participating_organisations",
    "theme": "theme",
    "countries": "countries",
    "feeds_round": "dialogue_round",
}
CALL_FIELDS = {
    "total_eur": "total_amount_eur",
    "announced": "announced_on",
    "year": "year",
    "project_count": "project_count",
    "programme": "programme",
}
PROJECT_FIELDS = {
    "amount_eur": "eu_contribution_eur",
    "starts": "starts_on",
    "ends": "ends_on",
    "implementer": "implementing_organisation",
    "duration_note": "duration_note",
    "package": "call",
    "programme": "programme",
}
# Programmes the five source documents already hold, under the record files' keys.
PROGRAMME_SLUGS = {
    "cs-facility-central-asia": "civil-society-facility-central-asia",
    "rule-of-law-initiative": "rule-of-law-initiative-central-asia",
}
SOURCE_KINDS = {"news_medium": SourceKind.NEWS}


CHANGE_REASON = "Loaded from the public record (fixtures/record/)"


def snapshot(record):
    """What a record holds, its many-to-many relations included, to tell whether a load changed it."""
    fields = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields if f.name != "updated_at"}
    for field in record._meta.many_to_many:
        fields[field.name] = sorted(getattr(record, field.name).values_list("pk", flat=True))
    return fields


class RecordError(Exception):
    """A value of a record file the models refuse, with the file, the record and the reason."""


def record_files(directory):
    """The files in loading order: the countries' (which define the concerns), then the forums'
    and the funding's (which may link to them)."""
    later = {"forum.json": 1, "funding.json": 2}
    return sorted(Path(directory).glob("*.json"), key=lambda path: (later.get(path.name, 0), path.name))


@transaction.atomic
def load_record(directory):
    """Load every record file of `directory`; returns {kind: number of records written}."""
    loader = _Loader()
    for path in record_files(directory):
        loader.load_file(path)
    for path, item in loader.links:  # once every file is in: a link may name any file's record
        loader.link(path, item)
    return loader.counts


def partial(value):
    """(date, precision) of a record file's "2021", "2021-11" or "2021-11-26"; (None, "") for null."""
    if value in (None, ""):
        return None, ""
    return parse_partial_date(str(value))


class _Loader:
    def __init__(self):
        self.counts = {}
        self.topics = {topic.slug: topic for topic in Topic.objects.all()}
        self.countries = {country.iso_code: country for country in Country.objects.all()}
        self.links = []

    # -- the file ---------------------------------------------------------------------------
    def load_file(self, path):
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise RecordError(f"{path.name}: not a JSON file ({error})") from None
        self.sources = {item["key"]: self.each(item, self.source) for item in data.get("sources", [])}
        for item in data.get("new_topics", []):
            RECORD_TOPICS.setdefault(item["slug"], item["name"])
        self.concerns = {item["key"]: self.each(item, self.concern, data) for item in data.get("concerns", [])}
        self.rounds = {item["key"]: self.each(item, self.dialogue_round) for item in data.get("rounds", [])}
        for item in data.get("countries", []):
            self.each(item, self.country_facts)
        for item in data.get("statements", []):
            self.each(item, self.statement)
        for item in data.get("seminars", []):
            self.each(item, self.seminar)
        funding = data.get("funding") or {}
        self.programmes = {item["key"]: self.each(item, self.programme) for item in funding.get("programmes", [])}
        self.packages = {}
        for item in sorted(funding.get("packages", []), key=lambda item: item.get("parent") is not None):
            self.packages[item["key"]] = self.each(item, self.package)
        for item in funding.get("projects", []):
            self.each(item, self.project)
        for item in funding.get("figures", []):
            self.each(item, self.figure)
        self.links += [(path, item) for item in data.get("links", [])]

    def each(self, item, load, *args):
        """`load(item)`, any bad value of the item reported with the file and the item's key."""
        try:
            return load(item, *args)
        except RecordError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            name = item.get("key") or item.get("concern") or item.get("statement") or "an item"
            raise RecordError(f"{self.path.name}, {name}: {type(error).__name__}: {error}") from None

    def link(self, path, item):
        """A seminar or project (of this load or of the source documents) linked to concerns."""
        self.path = path
        model, title = (Seminar, item["seminar"]) if "seminar" in item else (Project, item["project"])
        record = model.objects.filter(title=title).first()
        if record is None:
            raise RecordError(f"{self.path.name}: links name no {model._meta.verbose_name} titled {title!r}")
        add_missing(record, "concerns", self.concern_list(title, item["concerns"]))

    def fail(self, key, error):
        messages = getattr(error, "message_dict", None) or {"": getattr(error, "messages", [str(error)])}
        detail = "; ".join(
            f"{field}: {' '.join(map(str, msgs))}" if field else " ".join(msgs) for field, msgs in messages.items()
        )
        raise RecordError(f"{self.path.name}, {key}: {detail}") from None

    def save(self, key, record, *, m2m=None):
        """Validate and save `record` and set its many-to-many relations; its history gets one
        entry for the whole change (not one per relation), and none when nothing changed."""
        record.publication_status = PUBLISHED
        before = snapshot(record) if record.pk else None
        record.skip_history_when_saving = True
        try:
            record.full_clean(validate_unique=False, validate_constraints=False)
            record.save()
            for name, values in (m2m or {}).items():
                if name == "sources":  # a record of the source documents keeps citing them too
                    getattr(record, name).add(*values)
                else:
                    getattr(record, name).set(values)
        except (ValidationError, ValueError) as error:
            self.fail(key, error)
        except Exception as error:  # a constraint the database enforces
            self.fail(key, ValidationError(str(error)))
        finally:
            del record.skip_history_when_saving
        if before is None or snapshot(record) != before:
            record._change_reason = CHANGE_REASON
            record.save()  # the one history entry, with the relations as they now are
        kind = record._meta.verbose_name_plural
        self.counts[str(kind)] = self.counts.get(str(kind), 0) + 1
        return record

    def source_list(self, key, keys):
        try:
            return [self.sources[k] for k in dict.fromkeys(keys)]
        except KeyError as missing:
            raise RecordError(f"{self.path.name}, {key}: no source {missing} in the file") from None

    def topic_list(self, key, slugs, sources):
        topics = []
        for slug in dict.fromkeys(slugs or []):
            if slug not in self.topics:
                if slug not in RECORD_TOPICS:
                    raise RecordError(f"{self.path.name}, {key}: unknown topic {slug!r}")
                topic = Topic(slug=slug, name=RECORD_TOPICS[slug], name_ru=RECORD_TOPICS_RU.get(slug))
                self.topics[slug] = self.save(f"topic {slug}", topic, m2m={"sources": sources[:1]})
            topics.append(self.topics[slug])
        return topics

    def concern_list(self, key, slugs):
        concerns = list(Concern.objects.filter(slug__in=slugs))
        if len(concerns) != len(set(slugs)):
            missing = set(slugs) - {concern.slug for concern in concerns}
            raise RecordError(f"{self.path.name}, {key}: no concern {', '.join(sorted(missing))}")
        return concerns

    def country(self, key, code):
        try:
            return self.countries[code.upper()]
        except (KeyError, AttributeError):
            raise RecordError(f"{self.path.name}, {key}: unknown country {code!r}") from None

    def cite(self, record, key, cites, readings, fields, inferred=None):
        """Replace the record's citations with the file's: `cites` {file name: [source keys]},
        `readings` [{field, value, source, note}] where sources disagree."""
        content_type = ContentType.objects.get_for_model(record)
        self.kept_citations = set()
        inferred = dict(inferred or {})  # {file name: how it was inferred}
        if fields.get("number") and getattr(record, "number_basis", "") == NumberBasis.INFERRED:
            inferred["number"] = record.number_note
        for name, source_keys in (cites or {}).items():
            if name not in fields:
                raise RecordError(f"{self.path.name}, {key}: cites {name!r}, which it does not hold")
            basis = CitationBasis.INFERRED if name in inferred else CitationBasis.STATED
            for source in self.source_list(key, source_keys):
                self.save_citation(key, content_type, record, fields[name], source, basis, "", inferred.get(name, ""))
        for reading in readings or []:
            name = reading["field"]
            if name not in fields:
                raise RecordError(f"{self.path.name}, {key}: a reading of {name!r}, which it does not hold")
            (source,) = self.source_list(key, [reading["source"]])
            note = reading.get("note") or ""
            self.save_citation(
                key, content_type, record, fields[name], source, CitationBasis.STATED, str(reading["value"]), note
            )
        stale = Citation.objects.filter(content_type=content_type, object_id=record.pk)
        for citation in stale.exclude(pk__in=self.kept_citations):
            citation.delete()  # one by one: the history keeps it

    def save_citation(self, key, content_type, record, field, source, basis, reading, note):
        identity = {"content_type": content_type, "object_id": record.pk, "field": field, "source": source}
        identity["reading"] = reading[:300]
        values = {"basis": basis, "note": note[:500]}
        citation = Citation.objects.filter(**identity).first() or Citation(**identity)
        if citation.pk is None or any(getattr(citation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(citation, name, value)
            try:
                citation.full_clean()
                citation.save()
            except ValidationError as error:
                self.fail(key, error)
        self.kept_citations.add(citation.pk)

    # -- records ----------------------------------------------------------------------------
    def source(self, item):
        if "title" not in item:  # a reference to a source already held (a source document's): cited as it is
            existing = Source.objects.filter(url=item["url"]).first()
            if existing is None:
                raise RecordError(f"{self.path.name}, {item['key']}: no source with the URL {item['url']!r}")
            return existing
        published_on, precision = partial(item.get("published"))
        source = Source.objects.filter(url=item["url"]).first() or Source(url=item["url"])
        source.title = item["title"][:300]
        source.publisher = (item.get("publisher") or "")[:200]
        source.publisher_kind = item.get("publisher_kind") or ""
        source.kind = source.kind or SOURCE_KINDS.get(source.publisher_kind, SourceKind.WEB_PAGE)
        source.published_on, source.published_on_precision = published_on, precision
        source.date_note = item.get("date_note") or ""
        source.description = item.get("about") or ""
        return self.save(f"source {item['key']}", source)

    def concern(self, item, data):
        entries = [entry for r in data.get("rounds", []) for entry in r.get("concerns", [])]
        entries += data.get("statements", [])
        cited = [entry["source"] for entry in entries if entry["concern"] == item["key"]]
        sources = self.source_list(item["key"], cited)
        concern = Concern.objects.filter(slug=item["key"]).first() or Concern(slug=item["key"])
        concern.country = self.country(item["key"], item["country"])
        concern.title = item["title"][:200]
        concern.summary = item.get("summary") or ""
        return self.save(
            item["key"],
            concern,
            m2m={"topics": self.topic_list(item["key"], item.get("topics"), sources), "sources": sources},
        )

    def country_facts(self, item):
        """The citations of a country's facts; the facts themselves are the source documents'."""
        key = f"country {item['country']}"
        self.cite(self.country(key, item["country"]), key, item.get("cite"), None, COUNTRY_FIELDS)

    def dialogue_round(self, item):
        key = item["key"]
        country = self.country(key, item["country"])
        round_format = item.get("format") or (
            DialogueFormat.SUBCOMMITTEE if item.get("series") == "subcommittee" else DialogueFormat.STRUCTURED
        )
        held_on, precision = partial(item.get("held"))
        number = item.get("number")
        matches = DialogueRound.objects.filter(country=country, format=round_format)
        by_number = matches.filter(sequence_number=number) if number else matches.none()
        # an undated round is known by its number alone: no date to match it by
        by_date = matches.filter(held_on=held_on, held_on_precision=precision) if held_on else matches.none()
        existing = by_number.first() or by_date.first()
        record = existing or DialogueRound(country=country, format=round_format)
        record.held_on, record.held_on_precision = held_on, precision
        record.held_until = partial(item.get("held_until"))[0]
        record.sequence_number = number
        record.number_basis = item.get("number_basis") or ""
        record.number_note = (item.get("number_note") or "")[:300]
        record.place = item.get("city") or ""
        record.modality = item.get("modality") or ""
        record.alongside = item.get("alongside") or ""
        record.alongside_number = item.get("alongside_number")
        record.eu_lead = (item.get("eu_lead") or "")[:300]
        record.partner_lead = (item.get("partner_lead") or "")[:300]
        record.summary = item.get("summary") or ""
        sources = self.source_list(key, item.get("sources", []))
        self.save(key, record, m2m={"topics": self.topic_list(key, item.get("topics"), sources), "sources": sources})
        self.cite(record, key, item.get("cite"), item.get("readings"), ROUND_FIELDS)
        listed = [entry["concern"] for entry in item.get("concerns", [])]
        for entry in item.get("concerns", []):
            self.entry(key, entry, dialogue_round=record)
        # the file says what the round raised: an entry it no longer lists goes (the history keeps it)
        for entry in record.concern_entries.exclude(concern__slug__in=listed):
            entry.delete()
        return record

    def entry(self, key, item, *, dialogue_round=None, stated=None, occasion=""):
        try:
            concern = self.concerns[item["concern"]]
        except KeyError:
            raise RecordError(f"{self.path.name}, {key}: no concern {item['concern']!r} in the file") from None
        if dialogue_round is not None:
            record = ConcernEntry.objects.filter(concern=concern, dialogue_round=dialogue_round).first()
        else:
            record = ConcernEntry.objects.filter(
                concern=concern, dialogue_round=None, stated_on=stated[0], occasion=occasion
            ).first()
        record = record or ConcernEntry(concern=concern, dialogue_round=dialogue_round)
        if dialogue_round is None:
            record.stated_on, record.stated_on_precision = stated
            record.occasion = occasion
        record.status = item["status"]
        record.asserted_by = item["asserted_by"]
        record.statement = item.get("said") or ""
        self.save(f"{key} / {item['concern']}", record, m2m={"sources": self.source_list(key, [item["source"]])})

    def statement(self, item):
        (source,) = self.source_list(item["concern"], [item["source"]])
        occasion = (item.get("occasion") or source.title)[:200]
        self.entry(f"statement {item['date']}", item, stated=partial(item["date"]), occasion=occasion)

    def organisations(self, key, names, sources):
        organisations = []
        for name in names or []:
            slug = slugify(name)[:250]
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                organisation = self.save(
                    f"{key} / {name}",
                    Organisation(name=name[:250], slug=slug, kind=organisation_kind(name)),
                    m2m={"sources": sources},
                )
            organisations.append(organisation)
        return organisations

    def seminar(self, item):
        key = item["key"]
        # `match_title`: the title of a record the source documents hold, which the file completes
        record = Seminar.objects.filter(title__in=[item["title"], item.get("match_title")]).first() or Seminar()
        record.title = item["title"][:300]
        record.kind = item.get("kind") or "seminar"
        record.city = item.get("city") or ""
        record.online = item.get("online")
        record.held_on, record.held_on_precision = partial(item.get("held"))
        record.date_note = (item.get("date_note") or "")[:200]
        record.edition = item.get("edition")
        record.theme = (item.get("theme") or "")[:300]
        participants = item.get("participants") or {}
        if participants.get("of", "organisations") == "organisations" and participants.get("number"):
            record.participating_organisations = participants["number"]
            record.participating_organisations_qualifier = qualifier(participants.get("qualifier"))
        feeds = item.get("feeds_round")
        record.dialogue_round = self.rounds.get(feeds) if feeds else None
        record.summary = item.get("summary") or ""
        sources = self.source_list(key, item.get("sources", []))
        countries = [self.country(key, code) for code in item.get("countries", [])]
        self.save(
            key,
            record,
            m2m={
                "countries": countries,
                "topics": self.topic_list(key, item.get("topics"), sources),
                "organisers": self.organisations(key, item.get("organisers"), sources),
                "sources": sources,
            },
        )
        fields = {
            name: field
            for name, field in SEMINAR_FIELDS.items()
            if name != "participants" or record.participating_organisations
        }
        # "<name>_basis": "inferred" (with "<name>_note"): the cited page lets the value be inferred
        inferred = {name: item.get(f"{name}_note") or "" for name in fields if item.get(f"{name}_basis") == "inferred"}
        self.cite(record, key, held(item.get("cite"), fields), held(item.get("readings"), fields), fields, inferred)

    def programme(self, item):
        key = item["key"]
        slug = PROGRAMME_SLUGS.get(key, key)
        record = Programme.objects.filter(slug=slug).first()
        sources = self.source_list(key, item.get("sources", []))
        if record is None:
            record = Programme(slug=slug, name=item["name"][:200], acronym=(item.get("acronym") or "")[:30])
            record.summary = item.get("summary") or ""
            return self.save(key, record, m2m={"sources": sources})
        add_missing(record, "sources", sources)  # a programme the source documents hold keeps their text
        return record

    def programme_of(self, key, name):
        if name is None:  # no source names it
            return None
        if name in self.programmes:
            return self.programmes[name]
        programme = Programme.objects.filter(slug=PROGRAMME_SLUGS.get(name, name)).first()
        if programme is None:
            raise RecordError(f"{self.path.name}, {key}: unknown programme {name!r}")
        return programme

    def package(self, item):
        key = item["key"]
        programme = self.programme_of(key, item["programme"])
        record = Call.objects.filter(programme=programme, title=item["title"]).first() or Call(
            programme=programme, title=item["title"][:300]
        )
        record.country = self.country(key, item["country"]) if item.get("country") else None
        record.year = item.get("year")
        record.announced_on, record.announced_on_precision = partial(item.get("announced"))
        exact = qualifier(item.get("total_qualifier")) == Qualifier.EXACT
        record.total_amount_eur = Decimal(item["total_eur"]) if item.get("total_eur") and exact else None
        record.project_count = item.get("project_count")
        record.parent = self.packages[item["parent"]] if item.get("parent") else None
        record.summary = item.get("summary") or ""
        sources = self.source_list(key, item.get("sources", []))
        self.save(key, record, m2m={"sources": sources})
        if item.get("total_eur") and not exact:  # an approximate total is a stated figure, not an amount
            self.figure(
                {
                    "statement": item.get("summary") or item["title"],
                    "country": item.get("country"),
                    "programme": item["programme"],
                    "amount_eur": item["total_eur"],
                    "qualifier": item.get("total_qualifier"),
                    "period": "total",
                    "source": item.get("sources", [None])[0],
                }
            )
        fields = CALL_FIELDS if exact else {k: v for k, v in CALL_FIELDS.items() if k != "total_eur"}
        self.cite(record, key, held(item.get("cite"), fields), held(item.get("readings"), fields), fields)
        return record

    def project(self, item):
        key = item["key"]
        programme = self.programme_of(key, item["programme"])
        record = Project.objects.filter(programme=programme, title=item["title"]).first() or Project(
            programme=programme, title=item["title"][:400]
        )
        record.call = self.packages[item["package"]] if item.get("package") else None
        exact = qualifier(item.get("amount_qualifier")) == Qualifier.EXACT
        record.eu_contribution_eur = Decimal(item["amount_eur"]) if item.get("amount_eur") and exact else None
        record.starts_on, record.starts_on_precision = partial(item.get("starts"))
        record.ends_on, record.ends_on_precision = partial(item.get("ends"))
        record.duration_note = (item.get("duration_note") or "")[:200]
        record.summary = item.get("summary") or ""
        sources = self.source_list(key, item.get("sources", []))
        # "X, with Y and Z": the implementer is X; its partners stay in the summary
        implementer_name = re.split(r",? with |; ", item.get("implementer") or "")[0].strip()
        implementer = self.organisations(key, [implementer_name], sources) if implementer_name else [None]
        record.implementing_organisation = implementer[0]
        concerns = self.concern_list(key, item.get("concerns", []))
        self.save(
            key,
            record,
            m2m={
                "countries": [self.country(key, code) for code in item.get("countries", [])],
                "topics": self.topic_list(key, item.get("topics"), sources),
                "concerns": concerns,
                "sources": sources,
            },
        )
        fields = PROJECT_FIELDS if exact else {k: v for k, v in PROJECT_FIELDS.items() if k != "amount_eur"}
        self.cite(record, key, held(item.get("cite"), fields), held(item.get("readings"), fields), fields)
        if item.get("amount_eur") and not exact:
            self.figure(
                {
                    "statement": item["title"],
                    "country": (item.get("countries") or [None])[0],
                    "programme": item["programme"],
                    "amount_eur": item["amount_eur"],
                    "qualifier": item.get("amount_qualifier"),
                    "period": "total",
                    "source": item.get("sources", [None])[0],
                }
            )

    def figure(self, item):
        key = f"figure {item['statement'][:40]}"
        programme = self.programme_of(key, item["programme"]) if item.get("programme") else None
        country = self.country(key, item["country"]) if item.get("country") else None
        statement = item["statement"][:300]
        record = FundingFigure.objects.filter(statement=statement).first() or FundingFigure(statement=statement)
        record.country, record.programme = country, programme
        record.amount_eur = Decimal(item["amount_eur"])
        record.qualifier = qualifier(item.get("qualifier"))
        record.period = item.get("period") if item.get("period") in FigurePeriod.values else FigurePeriod.TOTAL
        record.since_year, record.until_year = item.get("since"), item.get("until")
        self.save(key, record, m2m={"sources": self.source_list(key, [item["source"]])})


def add_missing(record, name, values):
    """Add to a relation what it lacks: a change (and a history entry) only when there is one."""
    relation = getattr(record, name)
    present = set(relation.values_list("pk", flat=True))
    missing = [value for value in values if value.pk not in present]
    if missing:
        relation.add(*missing)


def held(citations, fields):
    """The cites or readings of values the record holds (an approximate amount is a stated figure's)."""
    if isinstance(citations, dict):
        return {name: keys for name, keys in citations.items() if name in fields}
    return [reading for reading in citations or [] if reading["field"] in fields]


def qualifier(value):
    """A record file's qualifier as the portal's choice ("approximately" is "about")."""
    value = {"approximately": Qualifier.ABOUT, None: Qualifier.EXACT, "": Qualifier.EXACT}.get(value, value)
    if value not in Qualifier.values:
        raise ValueError(f"unknown qualifier {value!r}")
    return value


def organisation_kind(name):
    """The kind an organisation's own name says (an EU Delegation, a ministry); else "other"."""
    lowered = name.lower()
    if "delegation" in lowered and ("eu" in lowered.split() or "european union" in lowered):
        return OrganisationKind.EU_DELEGATION
    if lowered.startswith(("european commission", "european union", "eeas", "european external action")):
        return OrganisationKind.EU_INSTITUTION
    if lowered.startswith(("ministry", "government")):
        return OrganisationKind.GOVERNMENT
    if "council of europe" in lowered or lowered.startswith(("osce", "united nations", "un ")):
        return OrganisationKind.INTERNATIONAL
    return OrganisationKind.OTHER
