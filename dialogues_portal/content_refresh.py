"""After an edit, the task worker stores again the pages' contents the edit dropped, so that the
first visitor after it does not wait for them.

An edit drops every cached value that read its kind of record (dialogues/cache.py). Most pages
recompute what they need in milliseconds; the pages of aggregates (the home page, each country's
and topic's story, the overviews) cost tens of queries each, hundreds of milliseconds at a million
projects (the known EU contribution is read from cells each edit keeps up to date,
funding/summaries.py, but the counts and tables around it are computed). So once an edit
is committed, a task renders those pages' contents in every language and stores them
(CachedContentMixin.store_content), as their next request would have: from the committed rows,
each under the generations current just before it is computed, so nothing stored is older than
the edit; a visitor who comes while it works on their page waits for that value instead of
computing it too (dialogues/cache.py, compute_once).

A burst of edits (a form saving a record, its citations and its many-to-many fields; an editor
saving one record after another) queues one task at a time: a task is queued unless one is already
waiting, and the task, once started, lets the next edit queue another. On only when the cache is
shared with the worker (Redis): a local-memory cache is the app server's own.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.tasks import task
from django.utils import translation

logger = logging.getLogger(__name__)

QUEUED_KEY = "portal:content-refresh-queued"
QUEUED_SECONDS = 600  # a queued task lost with its worker stops blocking new ones after this


def queue_refresh():
    """Queue a refresh unless one is waiting; called once an edit is committed. The edit is saved
    whatever becomes of this: a queue that cannot be written is logged, not the editor's error."""
    if not settings.REFRESH_CONTENT_AFTER_EDITS or not cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
        return
    try:
        refresh_content.enqueue()
    except DatabaseError:
        cache.delete(QUEUED_KEY)  # the next edit tries again
        logger.exception("could not queue the refresh of the stored pages; their next visitors render them")


def pages():
    """(view class, record or None) for every page whose content a refresh stores: the pages of
    aggregates (dialogues_portal/views/cached_content.py), the most visited first. Each costs its
    first visitor after an edit 0.05-1 s at 100,000 projects, against a few milliseconds once stored."""
    from .views.countries import CountryDetailView, CountryListView
    from .views.home import HomeView
    from .views.topics import TopicDetailView, TopicListView

    yield HomeView, None
    for country in CountryDetailView().get_queryset().order_by("name"):
        yield CountryDetailView, country
    yield CountryListView, None
    yield TopicListView, None
    for topic in TopicDetailView().get_queryset().order_by("name"):
        yield TopicDetailView, topic


@task()
def refresh_content():
    cache.delete(QUEUED_KEY)  # an edit from now on may have been missed by this run: it queues another
    for view_class, record in pages():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                view_class.store_content(record)
