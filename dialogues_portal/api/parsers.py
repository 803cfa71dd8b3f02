"""The API's JSON parser: DRF's, but a body nested too deeply is a 400 like any malformed JSON.

100,000 nested `[` made the decoder raise RecursionError (a 500), and a body just under Python's
recursion limit would recurse through validation and error rendering. No record needs more than a
few levels (a record, a partial date, a list of identifiers): MAX_DEPTH leaves room to spare.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def depth(data):
    """How deeply lists and objects nest in `data`, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            stack.extend((item, level + 1) for item in value)
    return deepest


class PortalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
        else:
            if depth(data) <= MAX_DEPTH:
                return data
        raise ParseError(_("JSON parse error - nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH})
