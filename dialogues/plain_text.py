"""The characters a text may hold, one rule for every write path (API, admin, spreadsheet import).

Control characters break XML (an Atom feed cannot carry U+000B) and hide in the page; the
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) make a text read otherwise
than it is stored. Tabs and line breaks stay allowed: summaries have paragraphs.
The rule is applied by forms and serializers, not by model validators, so that it needs no migration.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def validate_plain_text(value):
    """A validator for form and serializer fields: refuses a text holding a FORBIDDEN character."""
    if not isinstance(value, str):
        return
    found = FORBIDDEN.search(value)
    if found:
        raise ValidationError(
            _(
                "Remove the invisible character U+%(code)04X (at position %(position)d): a text may hold "
                "line breaks and tabs, but no control or text-direction characters."
            ),
            code="forbidden_character",
            params={"code": ord(found.group()), "position": found.start() + 1},
        )


def without_forbidden(value):
    """The text with every FORBIDDEN character removed: for output that must never fail (feeds)."""
    return FORBIDDEN.sub("", value) if isinstance(value, str) else value
