"""Free-text search, one implementation for pages, API and exports.

On PostgreSQL: full-text search with English and Russian stemming, ranked, backed by a GIN index
on exactly the expression built here (see `search_index`). Elsewhere (SQLite): a case-insensitive
match of every word in the searched fields.
"""

from functools import reduce
from operator import add, and_, or_

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

SEARCH_CONFIGS = ("english", "russian")
MAX_QUERY_LENGTH = 200  # longer input is cut: no one searches with a paragraph


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
        vector, query = search_vector(fields), search_query(text)
        queryset = queryset.alias(search_document=vector).filter(search_document=query)
        if rank:
            queryset = queryset.annotate(search_rank=SearchRank(vector, query)).order_by("-search_rank", "-pk")
        return queryset
    words = text.split()[:10]
    return queryset.filter(
        reduce(and_, (reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)) for word in words))
    )
