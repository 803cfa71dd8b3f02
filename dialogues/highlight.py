"""The words a search found, marked in the results: `{{ text|highlight:query }}` (portal tags).

A word of the query is marked wherever a word of the text starts with it, give or take its last
letters ("torture" marks "tortured", "rights" marks "right"): a simple stand-in for the stemming
PostgreSQL searches with, which is close enough to show why a row was found. Synonyms the sources
give (dialogues/synonyms.py) are marked too. Plain text is escaped piece by piece, so no query can
open a tag or break an entity; a text already made HTML (SafeData) has only its text between tags
marked.
"""

import html
import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

from . import synonyms
from .search import clean_query

MIN_TERM = 3  # shorter words ("EU", "of") would mark half the text
MAX_TERMS = 20
SKIPPED = frozenset({"and", "the", "for", "with", "from", "или", "для"})
TAG = re.compile(r"(<[^>]*>)")


def stem(word):
    """The beginning of `word` a text's word must start with: the word less its last letters, as
    an ending (plural, tense, case) would change them."""
    cut = 0 if len(word) <= 4 else 1 if len(word) <= 6 else 2
    return word[: len(word) - cut]


@lru_cache(maxsize=256)
def pattern(query):
    """A regular expression matching the words of the text that `query` found; None if none."""
    words = {
        word.casefold()
        for variant in synonyms.variants(clean_query(query))
        for word in re.findall(r"\w+", variant)
        if len(word) >= MIN_TERM and word.casefold() not in SKIPPED
    }
    stems = sorted({stem(word) for word in words}, key=len, reverse=True)[:MAX_TERMS]
    if not stems:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, stems))})\w*", re.IGNORECASE)


def mark_plain(text, found):
    """`text` escaped, its matches in <mark>."""
    pieces, last = [], 0
    for match in found.finditer(text):
        pieces += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    pieces.append(escape(text[last:]))
    return "".join(pieces)


def highlight(value, query):
    """`value` as safe HTML, the words `query` found in it marked."""
    if value is None or value == "":
        return value
    found = pattern(str(query or ""))
    if isinstance(value, SafeData):
        if found is None:
            return value
        parts = TAG.split(str(value))  # tags at odd positions, text (escaped already) between them
        return mark_safe(
            "".join(part if index % 2 else mark_plain(html.unescape(part), found) for index, part in enumerate(parts))
        )
    text = str(value)
    return mark_safe(mark_plain(text, found) if found is not None else escape(text))
