"""The IATI import (funding/iati/, manage.py import_iati): what maps where, re-runs, refusals.

The files in iati_files/ are invented for these tests (identifiers XX-TEST-...)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from dialogues.models import Organisation, Source
from dialogues.publishing import PublicationStatus
from funding.models import ExchangeRate, IatiFile, Project, ProjectSourceKind, SectorTopic
from tests.factories import make_country, make_topic

FILES = Path(__file__).parent / "iati_files"
MAIN = FILES / "activities-2.03.xml"
IMPORTED = {"XX-TEST-1", "XX-TEST-PARENT", "XX-TEST-CHILD", "XX-TEST-USD", "XX-TEST-MIXED", "XX-TEST-WITHDRAWN"}


@pytest.fixture
def countries(db):
    return {code: make_country(code) for code in ("KZ", "KG", "TJ", "TM", "UZ")}


def run(*args):
    out = StringIO()
    call_command("import_iati", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def project(identifier):
    return Project.objects.get(iati_identifier=identifier)


def test_imports_the_valid_activities_as_drafts(countries):
    output = run(MAIN)
    assert set(Project.objects.values_list("iati_identifier", flat=True)) == IMPORTED
    assert set(Project.objects.values_list("publication_status", flat=True)) == {PublicationStatus.DRAFT}
    assert set(Project.objects.values_list("source_kind", flat=True)) == {ProjectSourceKind.IATI}
    assert output.strip().endswith("6 created, 0 updated, 0 unchanged, 4 skipped.")


def test_skipped_activities_say_why(countries):
    output = run(MAIN)
    assert "skipped XX-TEST-BAD-DATE: malformed activity-date '2025-13-45'" in output
    assert "skipped XX-TEST-UNKNOWN-COUNTRY: unknown country code 'QQ'" in output
    assert "skipped (no identifier): no iati-identifier" in output
    assert "skipped XX-TEST-ELSEWHERE: no recipient country among KG, KZ, TJ, TM, UZ" in output


def test_titles_descriptions_status_and_dates(countries):
    run(MAIN)
    one = project("XX-TEST-1")
    assert (one.title_en, one.title_ru) == ("Test project one", "Тестовый проект один")
    assert (one.summary_en, one.summary_ru) == ("An invented description.", "Вымышленное описание.")
    assert one.status == "ongoing"
    # actual start over planned start; no actual end, so the planned end; each at day precision
    assert (str(one.starts_on), one.starts_on_precision) == ("2025-02-03", "day")
    assert (str(one.ends_on), one.ends_on_precision) == ("2027-06-30", "day")
    assert str(one.iati_last_updated) == "2026-01-10 09:00:00+00:00"
    parent = project("XX-TEST-PARENT")
    assert parent.status == "completed" and str(parent.ends_on) == "2025-11-30"  # actual end over planned


def test_countries_with_percentages_and_the_central_asia_region(countries):
    run(MAIN)
    one = project("XX-TEST-1")
    assert list(one.countries.values_list("iso_code", flat=True)) == ["KZ"]  # the portal's countries
    assert list(one.country_shares.values_list("country_code", "percentage")) == [
        ("AF", Decimal("40.00")),
        ("KZ", Decimal("60.00")),
    ]
    regional = project("XX-TEST-PARENT")
    assert regional.recipient_region == "619" and not regional.countries.exists()


def test_implementer_is_matched_by_name_or_created(countries):
    existing = Organisation.objects.create(name_en="Test Implementer Association", slug="tia", kind="ngo")
    run(MAIN)
    assert project("XX-TEST-1").implementing_organisation == existing
    assert Organisation.objects.count() == 1  # the funding role (1) is not an implementer


def test_implementer_is_found_by_its_iati_identifier_before_its_name(countries):
    # the file names "Test Implementer Association", ref XX-TEST-IMPL; the record knows it by the
    # identifier under another name, and another organisation has the file's name
    by_ref = Organisation.objects.create(
        name_en="Association XX-TEST, renamed", slug="renamed", kind="ngo", iati_ref="xx-test-impl"
    )
    Organisation.objects.create(name_en="Test Implementer Association", slug="tia", kind="ngo")
    run(MAIN)
    assert project("XX-TEST-1").implementing_organisation == by_ref  # identifiers compared whatever their case
    assert Organisation.objects.count() == 2


def test_a_new_implementer_keeps_its_iati_identifier_for_the_next_import(countries):
    run(MAIN)
    organisation = project("XX-TEST-1").implementing_organisation
    assert organisation.iati_ref == "XX-TEST-IMPL"
    Organisation.objects.filter(pk=organisation.pk).update(name_en="Renamed by an editor XX-TEST")
    run(FILES / "activities-2.03-updated.xml")
    assert project("XX-TEST-1").implementing_organisation == organisation
    assert Organisation.objects.count() == 1


def test_two_organisations_cannot_share_an_iati_identifier(db):
    Organisation.objects.create(name_en="One XX-TEST", slug="one", kind="ngo", iati_ref="XX-TEST-IMPL")
    other = Organisation(name_en="Two XX-TEST", slug="two", kind="ngo", iati_ref="xx-test-impl")
    with pytest.raises(ValidationError) as refused:
        other.validate_constraints()
    assert "organisation_iati_ref_unique" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    Organisation.objects.create(name_en="Three XX-TEST", slug="three", kind="ngo")  # blank: no identifier, any number
    Organisation.objects.create(name_en="Four XX-TEST", slug="four", kind="ngo")


def test_a_new_implementer_is_recorded_with_both_names(countries):
    run(MAIN)
    organisation = project("XX-TEST-1").implementing_organisation
    assert (organisation.name_en, organisation.name_ru, organisation.kind) == (
        "Test Implementer Association",
        "Тестовая ассоциация-исполнитель",
        "ngo",
    )


def test_sectors_map_to_topics_through_the_editable_table(countries, seeded_sectors):
    topic = make_topic(slug="test-human-rights")
    SectorTopic.objects.filter(code="15160").update(topic=topic)
    run(MAIN)
    one = project("XX-TEST-1")
    assert list(one.sectors.values_list("code", "percentage")) == [
        ("15153", Decimal("30.00")),
        ("15160", Decimal("70.00")),
    ]  # the 3-digit vocabulary is not a DAC 5-digit code
    assert list(one.topics.all()) == [topic]
    assert one.policy_markers == [{"vocabulary": "1", "code": "1", "significance": "2"}]


def test_a_withdrawn_sector_is_kept_mapped_to_no_topic_with_a_warning(countries):
    SectorTopic.objects.create(code="15162", name="Withdrawn test code", topic=make_topic(), withdrawn=True)
    output = run(MAIN)
    withdrawn = project("XX-TEST-WITHDRAWN")
    assert list(withdrawn.sectors.values_list("code", flat=True)) == ["15162"]
    assert not withdrawn.topics.exists()
    assert "XX-TEST-WITHDRAWN: sector 15162 is withdrawn" in output


def test_money_is_kept_as_stated(countries):
    run(MAIN)
    one = project("XX-TEST-1")
    assert sorted(one.transactions.values_list("transaction_type", "value", "currency")) == [
        (2, Decimal("50000.25"), "EUR"),
        (2, Decimal("250000.00"), "EUR"),
        (3, Decimal("80000.00"), "EUR"),
        (4, Decimal("1000.00"), "EUR"),
    ]  # incoming funds (1) are not the EU's money out
    assert list(one.budgets.values_list("budget_type", "value", "currency", "status")) == [
        (1, Decimal("100000.00"), "EUR", 2),
        (2, Decimal("120000.50"), "EUR", 2),
    ]
    assert one.eu_contribution_eur == Decimal("300000.25")  # the commitments only


def test_another_currency_counts_in_eur_only_with_a_rate(countries):
    run(MAIN)
    assert project("XX-TEST-USD").eu_contribution_eur is None
    assert project("XX-TEST-USD").transactions.get().currency == "USD"
    assert project("XX-TEST-MIXED").eu_contribution_eur is None  # 500 EUR + 700 GBP: not a EUR sum


def test_a_loaded_rate_converts_on_the_value_date(countries):
    ExchangeRate.objects.create(
        currency="USD", valid_from="2025-03-01", valid_until="2025-03-31", eur_per_unit="0.9", source="test rate"
    )
    ExchangeRate.objects.create(
        currency="USD", valid_from="2025-04-01", valid_until="2025-04-30", eur_per_unit="0.5", source="test rate"
    )
    run(MAIN)
    assert project("XX-TEST-USD").eu_contribution_eur == Decimal("900.00")


def test_rates_loaded_later_update_the_projects_on_a_rerun(countries):
    run(MAIN)
    ExchangeRate.objects.create(
        currency="GBP", valid_from="2025-04-10", valid_until="2025-04-10", eur_per_unit="1.1", source="test rate"
    )
    output = run(MAIN)
    assert project("XX-TEST-MIXED").eu_contribution_eur == Decimal("1270.00")
    assert "0 created, 1 updated, 5 unchanged" in output


def test_the_hierarchy_links_the_child_to_its_parent(countries):
    run(MAIN)
    assert project("XX-TEST-CHILD").iati_parent == project("XX-TEST-PARENT")


def test_an_imported_project_cites_the_file(countries):
    run(MAIN)
    iati_file = IatiFile.objects.get()
    assert (iati_file.name, iati_file.activity_count, len(iati_file.sha256)) == ("activities-2.03.xml", 10, 64)
    source = iati_file.source
    assert (source.publisher, str(source.published_on), source.document) == (
        "Test reporting organisation",
        "2026-01-15",
        "activities-2.03.xml",
    )
    assert list(project("XX-TEST-1").sources.all()) == [source]


def test_d_portal_link_is_built_from_the_identifier(countries):
    run(MAIN)
    assert project("XX-TEST-1").d_portal_url == "https://d-portal.org/ctrack.html#view=act&aid=XX-TEST-1"
    assert Project(iati_identifier="XX-TEST/1 a&b").d_portal_url.endswith("aid=XX-TEST%2F1%20a%26b")
    assert Project().d_portal_url is None


def test_publish_publishes_projects_source_and_new_implementers(countries):
    run(MAIN, "--publish")
    assert set(Project.objects.values_list("publication_status", flat=True)) == {PublicationStatus.PUBLISHED}
    assert Source.objects.get(iati_files__isnull=False).is_published
    assert project("XX-TEST-1").implementing_organisation.is_published


def test_rerunning_the_same_file_changes_nothing(countries):
    run(MAIN)
    history = Project.history.count()
    updated = dict(Project.objects.values_list("pk", "updated_at"))
    output = run(MAIN)
    assert output.strip().endswith("0 created, 0 updated, 6 unchanged, 4 skipped.")
    assert Project.history.count() == history
    assert dict(Project.objects.values_list("pk", "updated_at")) == updated
    assert IatiFile.objects.count() == 1
    assert Source.objects.filter(publisher="Test reporting organisation").count() == 1


def test_a_newer_file_updates_what_changed_and_the_history_names_it(countries):
    run(MAIN)
    output = run(FILES / "activities-2.03-updated.xml")
    assert "0 created, 1 updated, 5 unchanged" in output
    one = project("XX-TEST-1")
    assert one.title_en == "Test project one, renamed"
    entry = one.history.latest()
    assert entry.history_type == "~"
    assert entry.history_change_reason == "Imported from the IATI file “activities-2.03-updated.xml”"
    assert one.iati_file.name == "activities-2.03-updated.xml"
    assert one.sources.count() == 2  # both files cite it


def test_a_created_project_has_one_history_entry_naming_the_file(countries):
    run(MAIN)
    entries = project("XX-TEST-1").history.all()
    assert [(e.history_type, e.history_change_reason) for e in entries] == [
        ("+", "Imported from the IATI file “activities-2.03.xml”")
    ]


def test_dry_run_writes_nothing(countries):
    output = run(MAIN, "--dry-run")
    assert "Dry run, nothing written: 6 created" in output
    assert not Project.objects.exists() and not IatiFile.objects.exists()
    assert not Source.objects.filter(publisher="Test reporting organisation").exists()
    assert not Organisation.objects.exists()


def test_countries_and_sectors_narrow_the_import(countries):
    output = run(MAIN, "--countries", "KG", "--sectors", "15150")
    # the regional parent has 15150; the child in KG has no sector
    assert set(Project.objects.values_list("iati_identifier", flat=True)) == {"XX-TEST-PARENT"}
    assert "skipped XX-TEST-CHILD: no sector among 15150" in output


def test_an_editorial_project_keeps_its_identifier_blank(countries):
    editorial = Project.objects.create(title_en="Editorial test project")
    assert (editorial.source_kind, editorial.iati_identifier) == (ProjectSourceKind.EDITORIAL, None)
    assert editorial.d_portal_url is None


def test_a_directory_imports_its_xml_files(countries, tmp_path):
    (tmp_path / "a.xml").write_bytes(MAIN.read_bytes())
    (tmp_path / "notes.txt").write_text("not read")
    assert "6 created" in run(tmp_path)


def test_an_identifier_in_another_case_is_the_same_activity(countries, tmp_path):
    run(MAIN)
    lower = tmp_path / "lower.xml"
    lower.write_text(MAIN.read_text().replace("XX-TEST-USD<", "xx-test-usd<"))
    assert "0 created" in run(lower)
    assert Project.objects.filter(iati_identifier__iexact="XX-TEST-USD").count() == 1


def test_the_import_and_the_history_name_the_user_given(countries, django_user_model):
    user = django_user_model.objects.create_user("importer")
    run(MAIN, "--user", "importer")
    assert IatiFile.objects.get().imported_by == user
    assert project("XX-TEST-1").history.get().history_user == user


def test_an_unknown_user_is_refused(countries):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run(MAIN, "--user", "nobody")


def test_publishing_drafts_imported_before_publishes_the_file_source_too(countries):
    run(MAIN)
    assert "6 updated" in run(MAIN, "--publish")
    assert IatiFile.objects.get().source.is_published
    assert set(Project.objects.values_list("publication_status", flat=True)) == {PublicationStatus.PUBLISHED}


def test_the_childs_one_history_entry_holds_its_parent(countries):
    run(MAIN)
    child = project("XX-TEST-CHILD")
    assert [(e.history_type, e.iati_parent_id) for e in child.history.all()] == [("+", project("XX-TEST-PARENT").pk)]


def test_the_hierarchy_is_linked_a_few_projects_at_a_time(countries, monkeypatch):
    from funding.iati import hierarchy

    chunks = hierarchy._chunks
    monkeypatch.setattr(hierarchy, "_chunks", lambda ids: chunks(ids, size=1))  # a query per identifier named
    run(MAIN)
    assert project("XX-TEST-CHILD").iati_parent == project("XX-TEST-PARENT")
    reasons = {entry.history_change_reason for entry in Project.history.all()}
    assert Project.history.count() == 6 and reasons == {"Imported from the IATI file “activities-2.03.xml”"}


def test_the_history_entry_holds_the_relations_as_imported(countries):
    run(MAIN)
    entry = project("XX-TEST-1").history.get()
    assert [row.country.iso_code for row in entry.countries.all()] == ["KZ"]
    assert [row.source.document for row in entry.sources.all()] == ["activities-2.03.xml"]
