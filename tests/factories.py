"""Small factories for test records: published and sourced unless a test says otherwise."""

import datetime
import itertools

from dialogues.models import Concern, ConcernEntry, Country, DialogueRound, Organisation, Place, Source, Topic
from dialogues.publishing import PublicationStatus
from funding.models import Call, Programme, Project
from seminars.models import Seminar

_numbers = itertools.count(1)
PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


def make_source(**fields):
    n = next(_numbers)
    fields.setdefault("title", f"Test source {n}")
    fields.setdefault("publication_status", PUBLISHED)
    return Source.objects.create(**fields)


def _sourced(record, sources):
    record.sources.set(sources if sources is not None else [make_source()])
    return record


# The codes tests give their countries: a generated code is never one of them, or a test that
# makes one of these after a generated one would fail, or not, with the order of the tests.
NAMED_CODES = {"KZ", "KG", "TJ", "TM", "UZ", "AQ", "XK", "XX", "ZZ"}


def generated_code():
    while True:
        n = next(_numbers)
        if (code := f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}") not in NAMED_CODES:
            return code


def make_country(iso_code=None, sources=None, **fields):
    iso_code = iso_code or generated_code()
    fields.setdefault("name", f"Country {iso_code}")
    fields.setdefault("slug", f"country-{iso_code.lower()}")
    fields.setdefault("publication_status", PUBLISHED)
    return _sourced(Country.objects.create(iso_code=iso_code, **fields), sources)


def make_topic(sources=None, **fields):
    n = next(_numbers)
    fields.setdefault("name", f"Topic {n}")
    fields.setdefault("slug", f"topic-{n}")
    fields.setdefault("publication_status", PUBLISHED)
    return _sourced(Topic.objects.create(**fields), sources)


def make_organisation(sources=None, **fields):
    n = next(_numbers)
    fields.setdefault("name", f"Organisation {n}")
    fields.setdefault("slug", f"organisation-{n}")
    fields.setdefault("kind", "ngo")
    fields.setdefault("publication_status", PUBLISHED)
    return _sourced(Organisation.objects.create(**fields), sources)


def make_place(country, **fields):
    fields.setdefault("name", f"City {next(_numbers)}")
    return Place.objects.create(country=country, **fields)


def make_round(country=None, topics=(), sources=None, **fields):
    fields.setdefault("held_on", datetime.date(2009, 10, 1))
    fields.setdefault("held_on_precision", "month")
    fields.setdefault("format", "structured")
    fields.setdefault("publication_status", PUBLISHED)
    record = DialogueRound.objects.create(country=country or make_country(), **fields)
    record.topics.set(topics)
    return _sourced(record, sources)


def make_seminar(countries=None, topics=(), sources=None, **fields):
    fields.setdefault("title", f"Seminar {next(_numbers)}")
    fields.setdefault("held_on", datetime.date(2009, 6, 1))
    fields.setdefault("held_on_precision", "month")
    fields.setdefault("publication_status", PUBLISHED)
    record = Seminar.objects.create(**fields)
    record.countries.set(countries or [make_country()])
    record.topics.set(topics)
    return _sourced(record, sources)


def make_programme(sources=None, **fields):
    n = next(_numbers)
    fields.setdefault("name", f"Programme {n}")
    fields.setdefault("slug", f"programme-{n}")
    fields.setdefault("publication_status", PUBLISHED)
    return _sourced(Programme.objects.create(**fields), sources)


def make_call(programme=None, sources=None, **fields):
    fields.setdefault("title", f"Call {next(_numbers)}")
    fields.setdefault("publication_status", PUBLISHED)
    return _sourced(Call.objects.create(programme=programme or make_programme(), **fields), sources)


def make_project(programme=None, countries=None, topics=(), sources=None, **fields):
    fields.setdefault("title", f"Project {next(_numbers)}")
    fields.setdefault("publication_status", PUBLISHED)
    record = Project.objects.create(programme=programme or make_programme(), **fields)
    record.countries.set(countries or [make_country()])
    record.topics.set(topics)
    return _sourced(record, sources)


def make_records(n, *, country=None, topic=None, programme=None):
    """`n` published dialogue rounds (each raising a concern), seminars and projects about one
    country and topic, each with a source, for query-count tests at 1 and 50+ rows. Returns
    (country, topic, programme)."""
    country = country or make_country()
    topic = topic or make_topic()
    programme = programme or make_programme()
    call = make_call(programme=programme, country=country, year=2010, total_amount_eur=1000)
    source = make_source()
    for i in range(n):
        dialogue_round = make_round(
            country=country,
            topics=[topic],
            sources=[source],
            held_on=datetime.date(2000 + i % 25, 1 + i % 12, 1),
            sequence_number=i + 1,
        )
        make_entry(make_concern(country=country, topics=[topic], sources=[source]), dialogue_round, sources=[source])
        make_seminar(countries=[country], topics=[topic], sources=[source], held_on=datetime.date(2001 + i % 20, 3, 1))
        make_project(
            programme=programme,
            countries=[country],
            topics=[topic],
            sources=[source],
            call=call if i % 2 else None,
            eu_contribution_eur=1000 + i,
            starts_on=datetime.date(2005 + i % 15, 1, 1),
            starts_on_precision="year",
        )
    return country, topic, programme


def make_concern(country=None, topics=(), sources=None, **fields):
    n = next(_numbers)
    fields.setdefault("title", f"Concern {n}")
    fields.setdefault("slug", f"concern-{n}")
    fields.setdefault("publication_status", PUBLISHED)
    record = Concern.objects.create(country=country or make_country(), **fields)
    record.topics.set(topics)
    return _sourced(record, sources)


def make_entry(concern, dialogue_round=None, sources=None, **fields):
    """A history entry: at `dialogue_round`, or (without one) a dated statement."""
    fields.setdefault("status", "raised")
    fields.setdefault("publication_status", PUBLISHED)
    if dialogue_round is None:
        fields.setdefault("stated_on", datetime.date(2010, 1, 1))
        fields.setdefault("stated_on_precision", "day")
        fields.setdefault("occasion", f"Statement {next(_numbers)}")
    record = ConcernEntry.objects.create(concern=concern, dialogue_round=dialogue_round, **fields)
    return _sourced(record, sources)


def day(year, month=1, dd=1):
    return datetime.date(year, month, dd)


def held(country, year, month=6, dd=15, **fields):
    """A published round of `country` held on a day of `year`."""
    return make_round(country=country, held_on=day(year, month, dd), held_on_precision="day", **fields)
