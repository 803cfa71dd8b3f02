"""After an edit, the task worker stores again the pages' contents the edit dropped, so that the
first visitor after it does not wait for them.

An edit drops every cached value that read its kind of record (dialogues/cache.py). For most
pages the next request recomputes what it needs in milliseconds; the home and country pages need
the known EU contribution over every published project (funding/aggregates.py), seconds at a
million projects, and their contents tens of queries. So once an edit is committed, a task renders
those pages' contents in every language and stores them (CachedContentMixin.store_content), as
their next request would have: from the committed rows, under the generations current when it
starts, so nothing it stores is older than the edit, and a visitor who comes while it works waits
for its value instead of computing another (dialogues/cache.py, compute_once).

A burst of edits (a form saving a record, its citations and its many-to-many fields; an editor
saving one record after another) queues one task at a time: a task is queued unless one is already
waiting, and the task, once started, lets the next edit queue another. On only when the cache is
shared with the worker (Redis): a local-memory cache is the app server's own.
"""

from django.conf import settings
from django.core.cache import cache
from django.tasks import task
from django.utils import translation

QUEUED_KEY = "portal:content-refresh-queued"
QUEUED_SECONDS = 600  # a queued task lost with its worker stops blocking new ones after this


def queue_refresh():
    """Queue a refresh unless one is waiting; called once an edit is committed."""
    if settings.REFRESH_CONTENT_AFTER_EDITS and cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
        refresh_content.enqueue()


def pages():
    """(view class, record or None) for every page whose content a refresh stores: those whose
    first request after an edit is slow, the home and country pages and the overviews. A topic's
    page recomputes its content in a fraction of a second: left to its first visitor."""
    from .views.countries import CountryDetailView, CountryListView
    from .views.home import HomeView
    from .views.topics import TopicListView

    yield HomeView, None
    yield CountryListView, None
    yield TopicListView, None
    for country in CountryDetailView().get_queryset().order_by("name"):
        yield CountryDetailView, country


@task()
def refresh_content():
    cache.delete(QUEUED_KEY)  # an edit from now on may have been missed by this run: it queues another
    for view_class, record in pages():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                view_class.store_content(record)
