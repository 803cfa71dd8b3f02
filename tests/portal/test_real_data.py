"""The real data of the five source documents loads into an empty database, with its key facts."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from dialogues.models import Country, DialogueRound, Place, Source
from funding.models import Call, Programme, Project
from seminars.models import Seminar

pytestmark = pytest.mark.django_db


def test_the_five_countries_with_how_their_dialogues_started(real_data_shared):
    countries = {c.iso_code: c for c in Country.objects.published()}
    assert sorted(countries) == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert str(countries["TM"].dialogue_started) == "2005"
    assert countries["TM"].eu_agreement == "tca"
    assert countries["UZ"].eu_agreement == "pca"
    # formally agreed in 2007, which says nothing of when it first met
    assert str(countries["UZ"].dialogue_agreed) == "2007" and countries["UZ"].dialogue_started is None
    for iso in ("KZ", "KG", "TJ"):  # agreed at the Ashgabat ministerial of April 2008
        assert countries[iso].dialogue_agreed.isoformat() == "2008-04"
    for iso in ("KZ", "KG", "TJ"):
        assert countries[iso].dialogue_started.isoformat() == "2008-10"
    assert (countries["TJ"].trade_preference, countries["KG"].trade_preference) == ("gsp", "gsp_plus")
    assert countries["UZ"].trade_preference == "gsp_plus"
    # What no source says stays blank.
    assert countries["KZ"].eu_agreement == "" and countries["KZ"].trade_preference == ""


def test_topics_raised_with_turkmenistan(real_data_shared):
    names = set(Country.objects.get(iso_code="TM").dialogue_topics.values_list("name", flat=True))
    assert {
        "Rights of LGBTIQ persons",
        "Gender equality",
        "Protection of human rights defenders and journalists",
    } <= names


def test_the_source_documents_rounds_are_in_the_record(real_data_shared):
    rounds = DialogueRound.objects.published().select_related("country")
    found = {(r.country.iso_code, r.held.isoformat()[:7], r.format, r.sequence_number) for r in rounds if r.held}
    assert {
        ("KZ", "2008-10", "structured", 1),
        ("KG", "2008-10", "structured", 1),
        ("TJ", "2008-10", "structured", 1),
        ("TM", "2005", "ad_hoc", None),  # "since 2005": no number is invented for it
        ("TM", "2008-06", "structured", 1),
    } <= found
    first = {r.country.iso_code: r for r in rounds.filter(format="structured", sequence_number=1)}
    assert {first[iso].number_basis for iso in ("KZ", "KG", "TJ")} == {"stated"}  # "the first structured dialogues"


def test_seminars_held_in_2009_and_the_almaty_seminar_dated_by_inference(real_data_shared):
    from dialogues.models import Citation

    in_2009 = Seminar.objects.published().filter(held_on__year=2009)
    assert sorted(s.countries.get().iso_code for s in in_2009) == ["KG", "KZ", "TJ"]
    tashkent = Seminar.objects.get(city="Tashkent", held_on__year=2008)
    assert tashkent.held.isoformat().startswith("2008-10")
    almaty = Seminar.objects.get(city="Almaty", held_on__year=2011)
    assert str(almaty.held) == "2011"  # the page gives no date: only the year its words imply...
    (citation,) = Citation.objects.filter(object_id=almaty.pk, field="held_on", content_type__model="seminar")
    assert citation.basis == "inferred" and "20th anniversary" in citation.note  # ...marked as inferred
    assert (almaty.participating_organisations, almaty.participating_organisations_qualifier) == (70, "more_than")
    forums = Seminar.objects.filter(kind="forum").order_by("held_on")
    assert [forum.edition for forum in forums if forum.held] == [1, 2, 3, 4, 5]


def test_eidhr_in_kazakhstan_in_2009_and_2010(real_data_shared):
    eidhr = Programme.objects.get(slug="eidhr")
    assert eidhr.predecessor.name == "European Initiative for Democracy and Human Rights"
    call = Call.objects.get(programme=eidhr, year=2010, country__iso_code="KZ")
    assert call.total_amount_eur == Decimal("670000.00") and call.project_count == 5
    assert call.places.count() == 12
    # the five new projects are part of a package of eight with its own stated total
    assert (call.parent.total_amount_eur, call.parent.project_count) == (Decimal("1200000.00"), 8)
    assert set(call.parent.parts.values_list("year", flat=True)) == {2009, 2010}
    projects = Project.objects.published().filter(call=call)
    assert projects.count() == 5
    # The source publishes only the totals: no single project has an invented amount, and an
    # announcement of projects "to be implemented" gives no start
    assert all(p.eu_contribution_eur is None and p.starts_on is None for p in projects)
    assert {p.duration_note for p in projects} == {"from one to three years"}


def test_programmes(real_data_shared):
    facility = Programme.objects.get(slug="civil-society-facility-central-asia")
    assert facility.envelope_eur == Decimal("4500000.00")
    assert facility.launched_on == datetime.date(2024, 9, 1) and facility.launched_on_precision == "month"
    assert Programme.objects.get(slug="nsa-la").launched.year == 2011
    assert Programme.objects.get(slug="rule-of-law-initiative-central-asia").launched.isoformat() == "2008-11"


def test_every_real_record_cites_a_source_a_reader_can_open(real_data_shared):
    sourced_models = [
        m
        for app in ("dialogues", "seminars", "funding")
        for m in apps.get_app_config(app).get_models()
        if any(f.name == "sources" for f in m._meta.many_to_many)
    ]
    assert len(sourced_models) == 11
    for model in sourced_models:
        assert not model.objects.filter(sources__isnull=True).exists(), model
    for source in Source.objects.all():
        assert source.url.startswith(("http://", "https://")), source  # a page a reader can open
        if source.document:
            # shared/ lies beside the repository on every machine of the project, CI's included.
            assert (Path(settings.BASE_DIR).parent / source.document).is_file(), source.document
    assert Place.objects.count() == 12


def test_no_synthetic_record_is_in_the_real_data(real_data_shared):
    for app in ("dialogues", "seminars", "funding"):
        for model in apps.get_app_config(app).get_models():
            if hasattr(model, "is_synthetic"):
                assert not model.objects.filter(is_synthetic=True).exists()


def test_loading_the_real_data_twice_changes_nothing(real_data_shared):
    from django.core.management import call_command

    before = Project.objects.count(), Seminar.objects.count()
    call_command("load_real_data", verbosity=0)
    assert (Project.objects.count(), Seminar.objects.count()) == before
