"""DAC sector codes, read in one place (funding/sector_codes.py) for the filter, the upload and the command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from funding.sector_codes import NotSectorCodes, sector_codes


@pytest.mark.parametrize(
    ("given", "codes"),
    [
        ("15160", ["15160"]),
        ("15160,15150", ["15160", "15150"]),
        (" 15160 ; 15150 ,15160 ", ["15160", "15150"]),  # spaces, semicolons, repeats
        (["15160", "15150,15153"], ["15160", "15150", "15153"]),  # repeated parameters, as a URL gives them
        ("", []),
        (None, []),
    ],
)
def test_codes_are_read_as_people_type_them(given, codes):
    assert sector_codes(given) == codes


@pytest.mark.parametrize("given", ["1516", "151600", "1516x", "15160,abcde", "１５１６０"])
def test_anything_but_five_digits_is_refused_and_named(given):
    with pytest.raises(NotSectorCodes) as refused:
        sector_codes(given)
    assert "Not a DAC 5-digit sector code" in str(refused.value)
    assert refused.value.wrong[0] in given


def test_the_command_refuses_a_malformed_sector_code_as_the_filter_does(db, tmp_path):
    with pytest.raises(CommandError, match="Not a DAC 5-digit sector code: 1516X"):
        call_command("import_iati", str(tmp_path), "--sectors", "15160,1516X", stdout=StringIO())
    with pytest.raises(CommandError, match="Not a two-letter ISO country code: K1"):
        call_command("import_iati", str(tmp_path), "--countries", "KZ,K1", stdout=StringIO())
