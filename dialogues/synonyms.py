"""Words the sources themselves give as naming the same thing: a search for one finds the others
(dialogues/search.py applies them to the query, on every database).

Add a group only with a source's own wording for it, quoted beside it: the portal does not decide
on its own that two words mean the same.
"""

import re

GROUPS = (
    # "Peace, Democracy and Human Rights — Strengthening Values: EU-Central Asia Cooperation on
    # Democracy and Rights" (eeas.eu.com; the FIMI topic's source in fixtures/dialogues.json, its
    # text in shared/seeds/004_525af5590ebeac32.txt): "Foreign Information Manipulation and
    # Interference (FIMI) also often labelled as 'disinformation'".
    ("disinformation", "FIMI", "foreign information manipulation and interference"),
)

MAX_VARIANTS = 8  # a query naming several groups is not multiplied out further


def _pattern(term):
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


PATTERNS = [[(term, _pattern(term)) for term in group] for group in GROUPS]


def variants(text):
    """`text` and, for each group one of whose terms it names (a whole word or phrase, in any
    case), the same text naming each other term instead: "disinformation Kyrgyz" ->
    ["disinformation Kyrgyz", "FIMI Kyrgyz", "foreign information manipulation and interference Kyrgyz"].
    A record matching any of them is found."""
    found = [text]
    for group in PATTERNS:
        for term, pattern in group:
            if not pattern.search(text):
                continue
            others = [other for other, _other_pattern in group if other != term]
            found += [pattern.sub(lambda _match, other=other: other, variant) for variant in found for other in others]
            break
    return list(dict.fromkeys(found))[:MAX_VARIANTS]  # `text` first
