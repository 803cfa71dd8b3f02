"""Free-text search, one implementation for pages, API and exports.

On PostgreSQL: full-text search with English and Russian stemming, ranked. The large tables
(projects, seminars, rounds: a model's SEARCH_FIELDS) keep their document in a stored generated
`search_document` column with a GIN index (dialogues.migrations_support.AddStoredSearchDocument),
so ranking reads it instead of parsing every matching row again; and only the first
RANKED_CANDIDATES matches are ranked, so a common word costs the same at a million rows as at ten
thousand. Their ids, best first, are computed once per search and filter state and kept in the
aggregate cache (dialogues/cache.py, cleared by any edit): the page, its count and its per-option
counts then read a list of ids instead of searching again. Small tables use an expression.
Elsewhere (SQLite): a case-insensitive match of every word in the searched fields, newest first.

As one types (`prefix`: the admin's autocomplete), each word is the beginning of a word ("tortu"
finds torture), through the same stored document and index: the admin's own search, a LIKE over
every title and summary, took 3.8 s for a rare word at a million projects.
"""

import hashlib
import json
import re
from functools import cached_property, reduce
from operator import add, and_, or_
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connections
from django.db.models import BigIntegerField, Case, F, Func, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Cast, ExtractYear
from django.utils import translation

from . import synonyms
from .cache import cached
from .sql_expressions import InArray, TableColumn

SEARCH_CONFIGS = ("english", "russian")
MAX_QUERY_LENGTH = 200  # longer input is cut: no one searches with a paragraph
RANKED_CANDIDATES = 2000  # the best of the first 2,000 matches come first
STORED_DOCUMENT = "search_document"


def StoredSearchDocument():  # noqa: N802 - reads as the expression it returns
    """The stored `search_document` column of the query's own table (absent from the model: it
    exists on PostgreSQL only)."""
    return TableColumn(None, STORED_DOCUMENT, SearchVectorField())


def search_vector(fields):
    return reduce(add, (SearchVector(*fields, config=config) for config in SEARCH_CONFIGS))


def search_query(text):
    return reduce(or_, (SearchQuery(text, config=config, search_type="websearch") for config in SEARCH_CONFIGS))


def search_index(model_name, fields):
    """The GIN index that makes `search()` fast on PostgreSQL (created by a vendor-aware migration)."""
    return GinIndex(search_vector(fields), name=f"{model_name}_fulltext")


WORD = re.compile(r"\w+")  # letters and digits only: no operator of the query syntax gets through


def prefix_query(text):
    """Every word of `text` (the first ten) as the beginning of a word, in both languages; None
    when `text` has no word."""
    words = WORD.findall(text)[:10]
    if not words:
        return None
    raw = " & ".join(f"{word}:*" for word in words)
    return reduce(or_, (SearchQuery(raw, config=config, search_type="raw") for config in SEARCH_CONFIGS))


def clean_query(text):
    return " ".join(str(text).replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def search(queryset, text, fields, *, rank=True, prefix=False):
    """Rows of `queryset` matching `text` in `fields` (and in its generated title's words: see
    GENERATED_TITLES), or the same text with a synonym the sources give (dialogues/synonyms.py),
    the best first when `rank`; `prefix`: its words as the beginnings of words (as one types)."""
    text = clean_query(text)
    if not text:
        return queryset
    title = GENERATED_TITLES.get(queryset.model._meta.label_lower)
    texts = synonyms.variants(text)
    if connections[queryset.db].vendor == "postgresql":
        queries = [query for query in map(prefix_query if prefix else search_query, texts) if query is not None]
        if not queries:  # nothing but punctuation
            return queryset.none()
        query = reduce(or_, queries)
        if tuple(fields) != tuple(getattr(queryset.model, "SEARCH_FIELDS", ())):
            vector = search_vector(fields) if title is None else search_vector(fields) + title.vector()
            matches = queryset.alias(matched_document=vector).filter(matched_document=query)
            return (
                matches.annotate(search_rank=SearchRank(vector, query)).order_by("-search_rank", "-pk")
                if rank
                else matches
            )
        document = StoredSearchDocument() if title is None else Joined(StoredSearchDocument(), title.vector())
        matches = queryset.alias(matched_document=document).filter(matched_document=query)
        if not rank:
            return matches
        ids = ranked_match_ids(matches, query, document)
        # one text parameter: a list of 2,000 ids was adapted id by id, by Django then psycopg, in
        # each of a page's queries (8 ms of a search page at a million projects)
        ranked = Cast(Value("{" + ",".join(map(str, ids)) + "}"), ArrayField(BigIntegerField()))
        return (
            queryset.filter(InArray(F("pk"), ranked)).alias(search_position=IdPosition(ids)).order_by("search_position")
        )
    return queryset.filter(reduce(or_, (every_word(variant, fields, title) for variant in texts)))


def every_word(text, fields, title):
    """Each of the first ten words of `text` in one of `fields` or of the title's words (SQLite)."""
    words = text.split()[:10]
    in_fields = [
        reduce(or_, (Q(**{f"{field}__icontains": form}) for field in fields for form in case_forms(word)))
        for word in words
    ]
    if title is not None:
        in_fields = [
            found | reduce(or_, map(title.word_condition, case_forms(word)))
            for found, word in zip(in_fields, words, strict=True)
        ]
    return reduce(and_, in_fields)


def case_forms(word):
    """SQLite's LIKE ignores the case of ASCII letters only: a Russian word is also looked for in
    lower case, capitalised and in capitals ("казахстан" finds "Казахстан", "сми" finds "СМИ")."""
    return tuple(dict.fromkeys((word, word.lower(), word.capitalize(), word.upper())))


class Joined(Func):
    """Two search documents as one (`a || b`)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = SearchVectorField()


class GeneratedTitle:
    """The words of a title generated from a record's values (dialogues/titles.py) rather than
    stored: a round reads "13th EU–Kazakhstan human rights dialogue, December 2021", and none of
    those words is in its own text. Searched with its text: its related names (`names`, e.g. the
    country's, in every language it has), the fixed words its `choice` field's value gives the title
    (`choice_words`: {value: "words"}, a callable, read at the first search) and its `year`.

    On PostgreSQL they join the stored document as an expression; elsewhere a word is found in
    them as in the fields (case-insensitive containment).
    """

    def __init__(self, model, *, names, choice, choice_words, year):
        self.model, self.names, self.choice, self.year = model, names, choice, year
        self._choice_words = choice_words

    @cached_property
    def choice_words(self):
        return self._choice_words()

    @cached_property
    def name_fields(self):
        """`names` and their translations that the related model has (country__name, __name_ru...)."""
        return [field for name in self.names for field in translated(apps.get_model(self.model), name)]

    def vector(self):
        words = Case(
            *(When(**{self.choice: value}, then=Value(words)) for value, words in self.choice_words.items()),
            default=Value(""),
            output_field=TextField(),
        )
        year = Cast(ExtractYear(self.year), TextField())
        return search_vector([*self.name_fields, words, year])

    def word_condition(self, word):
        found = reduce(or_, (Q(**{f"{field}__icontains": word}) for field in self.name_fields))
        choices = [value for value, words in self.choice_words.items() if word.casefold() in words.casefold()]
        if choices:
            found |= Q(**{f"{self.choice}__in": choices})
        if word.isdigit() and len(word) == 4:
            found |= Q(**{f"{self.year}__year": int(word)})
        return found


def translated(model, path):
    """`path` ("country__name") and its per-language columns where there are ("country__name_ru")."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    prefix = "__".join(relations) + "__" if relations else ""
    existing = {field.name for field in model._meta.concrete_fields}
    candidates = [name, *(f"{name}_{code.replace('-', '_')}" for code, _label in settings.LANGUAGES)]
    return [prefix + candidate for candidate in candidates if candidate in existing]


def round_title_words():
    """{format: the fixed words of a round's title in that format, in every language of the site}."""
    from .models import DialogueFormat
    from .titles import round_title

    words = {}
    for value in DialogueFormat.values:
        stand_in = SimpleNamespace(format=value, held=None, sequence_number=None)
        texts = []
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                texts.append(round_title(stand_in, None))
        words[value] = " ".join(texts)
    return words


# {model label: its generated title}: the models that have no title of their own
GENERATED_TITLES = {
    "dialogues.dialogueround": GeneratedTitle(
        "dialogues.DialogueRound",
        names=["country__name"],
        choice="format",
        choice_words=round_title_words,
        year="held_on",
    ),
}


class IdPosition(Func):
    """The position of the row's id in `ids` (from 0), looked up in a JSON object {id: position}:
    a binary search per row, where array_position() would scan the array for each of them."""

    template = "((%(expressions)s)::integer)"
    arg_joiner = "::jsonb ->> "
    output_field = IntegerField()

    def __init__(self, ids):
        positions = json.dumps({str(pk): position for position, pk in enumerate(ids)})
        super().__init__(Value(positions), Cast(F("pk"), TextField()))


def ranking(matches, query, document):
    """The ids of the best of the first RANKED_CANDIDATES rows of `matches`, best first: the one
    query of a search that reads the GIN index and ranks (`document`: the stored one, or more)."""
    candidates = matches.order_by().values("pk")[:RANKED_CANDIDATES]
    return (
        matches.model._base_manager.using(candidates.db)
        .filter(pk__in=candidates)
        .annotate(search_rank=SearchRank(document, query))
        .order_by("-search_rank", "-pk")
        .values_list("pk", flat=True)
    )


def ranked_match_ids(matches, query, document):
    """`ranking()`'s ids, cached under the matches' own SQL (which names the search, the filters
    and the visibility) until the next edit."""
    sql, params = matches.order_by().values("pk").query.sql_with_params()
    key = hashlib.sha256(repr((matches.db, sql, params, RANKED_CANDIDATES)).encode()).hexdigest()
    return cached(f"search:{matches.model._meta.label_lower}:{key}", lambda: list(ranking(matches, query, document)))
