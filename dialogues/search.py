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
"""

import hashlib
import json
from functools import reduce
from operator import add, and_, or_

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connections
from django.db.models import BigIntegerField, F, Func, IntegerField, Q, TextField, Value
from django.db.models.functions import Cast

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


def clean_query(text):
    return " ".join(str(text).replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def search(queryset, text, fields, *, rank=True):
    """Rows of `queryset` matching `text` in `fields`, the best first when `rank`."""
    text = clean_query(text)
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        query = search_query(text)
        if tuple(fields) != tuple(getattr(queryset.model, "SEARCH_FIELDS", ())):
            vector = search_vector(fields)
            matches = queryset.alias(matched_document=vector).filter(matched_document=query)
            return (
                matches.annotate(search_rank=SearchRank(vector, query)).order_by("-search_rank", "-pk")
                if rank
                else matches
            )
        matches = queryset.alias(matched_document=StoredSearchDocument()).filter(matched_document=query)
        if not rank:
            return matches
        ids = ranked_match_ids(matches, query)
        # one text parameter: a list of 2,000 ids was adapted id by id, by Django then psycopg, in
        # each of a page's queries (8 ms of a search page at a million projects)
        ranked = Cast(Value("{" + ",".join(map(str, ids)) + "}"), ArrayField(BigIntegerField()))
        return (
            queryset.filter(InArray(F("pk"), ranked)).alias(search_position=IdPosition(ids)).order_by("search_position")
        )
    words = text.split()[:10]
    return queryset.filter(
        reduce(and_, (reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)) for word in words))
    )


class IdPosition(Func):
    """The position of the row's id in `ids` (from 0), looked up in a JSON object {id: position}:
    a binary search per row, where array_position() would scan the array for each of them."""

    template = "((%(expressions)s)::integer)"
    arg_joiner = "::jsonb ->> "
    output_field = IntegerField()

    def __init__(self, ids):
        positions = json.dumps({str(pk): position for position, pk in enumerate(ids)})
        super().__init__(Value(positions), Cast(F("pk"), TextField()))


def ranking(matches, query):
    """The ids of the best of the first RANKED_CANDIDATES rows of `matches`, best first: the one
    query of a search that reads the GIN index and ranks."""
    candidates = matches.order_by().values("pk")[:RANKED_CANDIDATES]
    return (
        matches.model._base_manager.using(candidates.db)
        .filter(pk__in=candidates)
        .annotate(search_rank=SearchRank(StoredSearchDocument(), query))
        .order_by("-search_rank", "-pk")
        .values_list("pk", flat=True)
    )


def ranked_match_ids(matches, query):
    """`ranking()`'s ids, cached under the matches' own SQL (which names the search, the filters
    and the visibility) until the next edit."""
    sql, params = matches.order_by().values("pk").query.sql_with_params()
    key = hashlib.sha256(repr((matches.db, sql, params, RANKED_CANDIDATES)).encode()).hexdigest()
    return cached(f"search:{matches.model._meta.label_lower}:{key}", lambda: list(ranking(matches, query)))
