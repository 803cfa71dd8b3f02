"""Files the IATI import refuses as a whole: a CommandError, a non-zero exit, nothing written.

The files in iati_files/ are invented for these tests (identifiers XX-TEST-...)."""

import io
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from dialogues.models import Organisation
from funding.iati.parse import Activity, FileHeader, IatiFileError, read_activities
from funding.models import IatiFile, Project
from tests.factories import make_country

FILES = Path(__file__).parent / "iati_files"


@pytest.fixture
def countries(db):
    return [make_country(code) for code in ("KZ", "KG", "TJ", "TM", "UZ")]


def refusal(path):
    with pytest.raises(CommandError) as error:
        call_command("import_iati", str(path), stdout=StringIO(), stderr=StringIO())
    assert not Project.objects.exists() and not IatiFile.objects.exists() and not Organisation.objects.exists()
    return str(error.value)


def test_a_1_0x_file_is_refused_with_a_clear_message(countries):
    assert "IATI 1.03 files are not accepted: their codes differ" in refusal(FILES / "version-1.03.xml")


def test_an_entity_bomb_is_refused(countries):
    assert "declares a DOCTYPE" in refusal(FILES / "bomb.xml")


def test_an_external_entity_is_refused(countries):
    assert "declares a DOCTYPE" in refusal(FILES / "external-entity.xml")


def test_a_file_cut_short_writes_nothing_of_what_came_before(countries):
    # three whole activities precede the cut: the one transaction keeps them out too
    assert "not well-formed XML" in refusal(FILES / "truncated.xml")


def test_a_missing_path_is_refused(countries, tmp_path):
    assert "No such file or directory" in refusal(tmp_path / "absent.xml")


def test_a_directory_without_xml_files_is_refused(countries, tmp_path):
    assert "No .xml file" in refusal(tmp_path)


def test_one_refused_file_in_a_directory_keeps_the_others_out(countries, tmp_path):
    (tmp_path / "a.xml").write_bytes((FILES / "activities-2.03.xml").read_bytes())
    (tmp_path / "b.xml").write_bytes((FILES / "version-1.03.xml").read_bytes())
    assert "1.03" in refusal(tmp_path)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<iati-organisations version='2.03'/>", "not an IATI activity file"),
        (b"<iati-activities/>", "IATI version (none stated) is not accepted"),
        (b"<iati-activities version='3.0'/>", "IATI version 3.0 is not accepted"),
        (b"<iati-activities version='2.03' generated-datetime='yesterday'/>", "malformed date and time"),
    ],
)
def test_headers_that_are_refused(document, message):
    with pytest.raises(IatiFileError, match=re.escape(message)):
        list(read_activities(io.BytesIO(document)))


def test_versions_2_01_to_2_03_are_accepted():
    for version in ("2.01", "2.02", "2.03"):
        header = next(read_activities(io.BytesIO(f"<iati-activities version='{version}'/>".encode())))
        assert header == FileHeader(version=version, generated=None)


def activities_document(count):
    activity = (
        "<iati-activity><iati-identifier>XX-TEST-{n}</iati-identifier>"
        "<title><narrative>Test {n}</narrative></title></iati-activity>"
    )
    body = "".join(activity.format(n=n) for n in range(count))
    return io.BytesIO(f"<iati-activities version='2.03'>{body}</iati-activities>".encode())


def test_read_activities_yields_each_activity_in_order():
    items = read_activities(activities_document(500))
    assert isinstance(next(items), FileHeader)
    assert [item.identifier for item in items] == [f"XX-TEST-{n}" for n in range(500)]


def test_the_activities_already_read_are_dropped_from_the_tree(monkeypatch):
    from lxml import etree

    import funding.iati.parse as parse

    preceding = []
    original = etree.iterparse

    def spy(*args, **kwargs):
        for event, element in original(*args, **kwargs):
            if event == "end" and element.tag == "iati-activity":
                preceding.append(sum(1 for _sibling in element.itersiblings(preceding=True)))
            yield event, element

    monkeypatch.setattr(parse.etree, "iterparse", spy)
    assert all(isinstance(item, Activity) for item in list(read_activities(activities_document(50)))[1:])
    # the activities already read are gone (the last one stays, emptied, until the next is read)
    assert len(preceding) == 50 and max(preceding) <= 1


@pytest.mark.parametrize(
    ("fragment", "reason"),
    [
        ("<activity-date type='2' iso-date='20250101'/>", "malformed activity-date"),
        ("<recipient-country code='KZ' percentage='120'/>", "not between 0 and 100"),
        ("<sector code='1516'/>", "not a DAC 5-digit code"),
        (
            "<transaction><transaction-type code='2'/><transaction-date iso-date='2025-01-01'/>"
            "<value value-date='2025-01-01'>1,000</value></transaction>",
            "is not a number",
        ),
        (
            "<transaction><transaction-type code='2'/><transaction-date iso-date='2025-01-01'/>"
            "<value currency='eur' value-date='2025-01-01'>10</value></transaction>",
            "no valid currency",
        ),
        (
            "<transaction><transaction-type code='3'/><transaction-date iso-date='2025-01-01'/>"
            "<value>10</value></transaction>",
            "malformed transaction value-date",
        ),
        (
            "<budget><period-start iso-date='2025-12-31'/><period-end iso-date='2025-01-01'/>"
            "<value value-date='2025-01-01'>10</value></budget>",
            "a budget period ends before it starts",
        ),
    ],
)
def test_an_activity_with_a_value_that_cannot_be_read_is_skipped(fragment, reason):
    document = (
        "<iati-activities version='2.03'><iati-activity default-currency='EUR'>"
        f"<iati-identifier>XX-TEST-BAD</iati-identifier>{fragment}</iati-activity></iati-activities>"
    )
    _header, skipped = read_activities(io.BytesIO(document.encode()))
    assert skipped.identifier == "XX-TEST-BAD" and reason in skipped.reason


def test_the_command_exits_non_zero_on_a_refused_file(countries, capsys):
    with pytest.raises(SystemExit) as exit:
        execute_from_command_line(["manage.py", "import_iati", str(FILES / "version-1.03.xml")])
    assert exit.value.code != 0 and "1.03" in capsys.readouterr().err
