"""DAC 5-digit sector codes as people type them, read in one place: the project listing's and the
API's `sector` filter, the admin's IATI upload and `import_iati --sectors`. Any well-formed code
is taken, not only those of the mapping table: a file may state a code the table lacks."""

import re

from django.utils.translation import gettext as _

DAC_CODE = re.compile(r"[0-9]{5}")
SEPARATORS = re.compile(r"[,;\s]+")


class NotSectorCodes(ValueError):
    """Some of the codes given are not DAC 5-digit codes; the message names the first five."""

    def __init__(self, wrong):
        self.wrong = wrong
        super().__init__(_("Not a DAC 5-digit sector code: %(codes)s.") % {"codes": ", ".join(wrong[:5])})


def sector_codes(items):
    """The distinct codes of `items` (strings, each holding codes separated by commas, semicolons
    or spaces), in the order given; raises NotSectorCodes naming those that are not 5 digits."""
    if isinstance(items, str):
        items = [items]
    codes = list(dict.fromkeys(code for item in items or [] for code in SEPARATORS.split(str(item)) if code))
    if wrong := [code for code in codes if not DAC_CODE.fullmatch(code)]:
        raise NotSectorCodes(wrong)
    return codes
