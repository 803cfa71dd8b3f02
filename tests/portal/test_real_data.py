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


def test_the_five_countries_with_how_their_dialogues_started(real_data):
    countries = {c.iso_code: c for c in Country.objects.published()}
    assert sorted(countries) == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert str(countries["TM"].dialogue_started) == "2005"
    assert countries["TM"].eu_agreement == "tca"
    assert countries["UZ"].eu_agreement == "pca"
    assert str(countries["UZ"].dialogue_started) == "2007"
    for iso in ("KZ", "KG", "TJ"):
        assert countries[iso].dialogue_started.isoformat() == "2008-10"
    assert (countries["TJ"].trade_preference, countries["KG"].trade_preference) == ("gsp", "gsp_plus")
    assert countries["UZ"].trade_preference == "gsp_plus"
    # What no source says stays blank.
    assert countries["KZ"].eu_agreement == "" and countries["KZ"].trade_preference == ""


def test_topics_raised_with_turkmenistan(real_data):
    names = set(Country.objects.get(iso_code="TM").dialogue_topics.values_list("name", flat=True))
    assert {
        "Rights of LGBTIQ persons",
        "Gender equality",
        "Protection of human rights defenders and journalists",
    } <= names


def test_dialogue_rounds(real_data):
    rounds = DialogueRound.objects.published().select_related("country")
    found = {(r.country.iso_code, r.held.isoformat(), r.format) for r in rounds}
    assert found == {
        ("KZ", "2008-10", "structured"),
        ("KG", "2008-10", "structured"),
        ("TJ", "2008-10", "structured"),
        ("TM", "2005", "ad_hoc"),
        ("TM", "2008-06", "structured"),
    }


def test_seminars_held_in_2009_and_the_undated_almaty_seminar(real_data):
    in_2009 = Seminar.objects.published().filter(held_on__year=2009)
    assert sorted(s.countries.get().iso_code for s in in_2009) == ["KG", "KZ", "TJ"]
    tashkent = Seminar.objects.get(city="Tashkent")
    assert tashkent.held.isoformat() == "2008-10"
    almaty = Seminar.objects.get(city="Almaty")
    assert almaty.held is None  # the source gives no date: none is invented
    assert (almaty.participating_organisations, almaty.participating_organisations_qualifier) == (70, "more_than")
    forum = Seminar.objects.get(kind="forum")
    assert forum.countries.count() == 5 and str(forum.held) == "2019"


def test_eidhr_in_kazakhstan_in_2010(real_data):
    eidhr = Programme.objects.get(slug="eidhr")
    assert eidhr.predecessor.name == "European Initiative for Democracy and Human Rights"
    call = Call.objects.get(programme=eidhr, year=2010, country__iso_code="KZ")
    assert call.total_amount_eur == Decimal("670000.00") and call.project_count == 5
    assert call.places.count() == 12
    projects = Project.objects.published().filter(programme=eidhr, countries__iso_code="KZ", starts_on__year=2010)
    assert projects.count() == 5
    # The source publishes only the total: no single project has an invented amount.
    assert all(p.eu_contribution_eur is None for p in projects)


def test_programmes(real_data):
    facility = Programme.objects.get(slug="civil-society-facility-central-asia")
    assert facility.envelope_eur == Decimal("4500000.00")
    assert facility.launched_on == datetime.date(2024, 9, 1) and facility.launched_on_precision == "month"
    assert Programme.objects.get(slug="nsa-la").launched.year == 2011
    assert Programme.objects.get(slug="rule-of-law-initiative-central-asia").launched.isoformat() == "2008-11"


def test_every_real_record_cites_a_source_document_that_exists(real_data):
    sourced_models = [
        m
        for app in ("dialogues", "seminars", "funding")
        for m in apps.get_app_config(app).get_models()
        if any(f.name == "sources" for f in m._meta.many_to_many)
    ]
    assert len(sourced_models) == 8
    for model in sourced_models:
        assert not model.objects.filter(sources__isnull=True).exists(), model
    for source in Source.objects.all():
        # shared/ lies beside the repository on every machine of the project, CI's included.
        assert (Path(settings.BASE_DIR).parent / source.document).is_file(), source.document
    assert Place.objects.count() == 12


def test_no_synthetic_record_is_in_the_real_data(real_data):
    for app in ("dialogues", "seminars", "funding"):
        for model in apps.get_app_config(app).get_models():
            if hasattr(model, "is_synthetic"):
                assert not model.objects.filter(is_synthetic=True).exists()


def test_loading_the_real_data_twice_changes_nothing(real_data):
    from django.core.management import call_command

    before = Project.objects.count(), Seminar.objects.count()
    call_command("load_real_data", verbosity=0)
    assert (Project.objects.count(), Seminar.objects.count()) == before
