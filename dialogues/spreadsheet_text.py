"""Spreadsheet formula injection (OWASP "CSV injection"), neutralised for every CSV and XLSX export.

A text cell starting with "=", "+", "-", "@", a tab or a carriage return is read by Excel and
LibreOffice as a formula (`=HYPERLINK(...)` in a published title would be live). Every CSV and XLSX
export, public and admin, writes such a text with a leading apostrophe, as OWASP recommends; JSON
is left as is, and numbers stay numbers. The rule is written here once, in Python and in SQL (the
PostgreSQL COPY path), and the admin's import takes the apostrophe off again.
"""

from django.db import models
from django.db.models import Func

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def neutralised(value):
    """`value` safe for a spreadsheet cell: a text that would start a formula gets a leading "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return ESCAPE + value
    return value


def restored(value):
    """The text `neutralised` was given: an imported export gives back what was exported."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


# "-" last: within brackets it is then itself, not a range
SQL_PATTERN = "^([" + "".join(sorted(FORMULA_TRIGGERS, key=lambda char: char == "-")) + "])"


def neutralised_sql(expression):
    """`neutralised` in SQL (PostgreSQL), for a text expression; it is read once, so that a
    Lateral column (dialogues/exports.py) is joined once."""
    return Func(
        expression,
        models.Value(SQL_PATTERN),
        models.Value(ESCAPE + "\\1"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def neutralised_rows(rows):
    for row in rows:
        yield [neutralised(value) for value in row]
