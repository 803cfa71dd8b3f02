"""A cache for expensive aggregates and pages, dropped by the edits that change what they read.

Values live in Django's default cache (local memory, or Redis when REDIS_URL is set). The content
records are in four areas (AREAS: the records every part shows, such as countries, topics and
sources; dialogue rounds and concerns; seminars; funding), each with a "generation" number that
a save, delete or many-to-many change of one of its records bumps. A value is stored with the
generations, read just before it was computed, of the areas whose tables its computation read
(noted from its SQL, and from the cached values it used); it is served while they are current. So
an edit of a dialogue round leaves the funding figures stored, and no stale value is ever served:
whatever the code reads, the tables it queried say what it depends on. One more number, the epoch,
goes with every value: `bump_generation()` drops them all (bulk writes, which send no signals).
Old values are overwritten, or expire.
"""

import re
import time
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from functools import cache as once

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "portal:cache-generation"  # the epoch: every stored value depends on it
CONTENT_APPS = ("dialogues", "seminars", "funding")
# The dialogues app's records that every part of the portal shows; its others are the dialogues'.
SHARED_MODELS = {"country", "topic", "source", "organisation", "place", "citation"}
NOT_CONTENT = {"funding.iatiupload"}  # an upload's progress, seen by its uploader only
AREAS = ("shared", "dialogues", "seminars", "funding")
COMPUTE_LOCK_SECONDS = 60  # how long a value being computed is locked at most (its holder may die)
COMPUTE_WAIT_SECONDS = 20  # how long another request waits for it before computing it too
COMPUTE_POLL_SECONDS = 0.05
_computing = ContextVar("computing_cached_value", default=False)
_reading = ContextVar("areas_read", default=None)  # the areas the value being computed has read


def computing_cached_value():
    """True while a value to be cached is computed. A read replica may lag behind the primary; the
    database router then reads from the primary, so no old figure is stored under a new generation."""
    return _computing.get()


@contextmanager
def computing():
    """Marks the code inside as computing a value to be cached (see computing_cached_value)."""
    token = _computing.set(True)
    try:
        yield
    finally:
        _computing.reset(token)


# --- Areas: which records an edit changes, which a computation read


def area_of(model):
    """The area of a content model (its history and many-to-many tables go with it), or None."""
    model = getattr(model, "instance_type", model)  # a historical record: the record's own
    owner = model._meta.auto_created or model  # a many-to-many table: the model that declares it
    owner = getattr(owner, "instance_type", owner)
    options = owner._meta
    if options.app_label not in CONTENT_APPS or options.label_lower in NOT_CONTENT:
        return None
    if options.app_label == "dialogues" and options.model_name in SHARED_MODELS:
        return "shared"
    return options.app_label


@once
def _tables():
    """(a pattern matching any content table's name in SQL, {table: area})."""
    areas = {}
    for model in apps.get_models(include_auto_created=True):
        if (area := area_of(model)) is not None:
            areas[model._meta.db_table] = area
    names = "|".join(re.escape(name) for name in sorted(areas, key=len, reverse=True))
    return re.compile(rf"\b(?:{names})\b"), areas


def areas_in(sql):
    pattern, areas = _tables()
    return {areas[name] for name in pattern.findall(sql)}


def _note_tables(execute, sql, params, many, context):
    found = _reading.get()
    if found is not None:
        found.update(areas_in(sql))
    return execute(sql, params, many, context)


@contextmanager
def reading_areas():
    """Collects the areas whose tables the code inside queries, on every database connection, and
    those of the cached values it uses; they count for the computation around it too."""
    found, outer = set(), _reading.get()
    token = _reading.set(found)
    try:
        with ExitStack() as stack:
            if outer is None:  # the outermost: its wrappers note each query for the innermost running
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(_note_tables))
            yield found
    finally:
        _reading.reset(token)
        if outer is not None:
            outer.update(found)


def depends_on(*models):
    """Inside a computation: it depends on these models' records though its SQL may not read them
    (a record fetched before it, whose fields it shows)."""
    _used({area for model in models if (area := area_of(model)) is not None})


def _used(areas):
    """A stored value was used: the computation around it, if any, depends on its areas too."""
    found = _reading.get()
    if found is not None:
        found.update(areas)


# --- Generations


def _key_of(area):
    return GENERATION_KEY if area is None else f"{GENERATION_KEY}:{area}"


GENERATION_KEYS = [_key_of(None), *map(_key_of, AREAS)]


def generations(found=None):
    """{None (the epoch) or area: its current generation}, from `found` (what a get_many of
    GENERATION_KEYS gave) or the cache; one lost from the cache starts afresh, larger than any before."""
    found = cache.get_many(GENERATION_KEYS) if found is None else found
    current = {}
    for area in (None, *AREAS):
        key = _key_of(area)
        if (value := found.get(key)) is None:
            # A clock value, not 1: after an eviction or a restart of the cache the counter must not
            # return to a number whose values may still be stored.
            cache.add(key, time.time_ns(), timeout=None)
            value = cache.get(key)
        current[area] = value
    return current


def generation():
    """The epoch's generation."""
    return generations()[None]


def bump(area=None):
    """Drop every stored value that read the area (None: every stored value)."""
    key = _key_of(area)
    try:
        cache.incr(key)
    except ValueError:  # the key is gone: any new number works, stored values stay unreachable
        cache.set(key, time.time_ns(), timeout=None)


def bump_generation():
    bump(None)


def stamp(snapshot, areas):
    """What a value computed with `snapshot` current, reading `areas`, is stored with."""
    return tuple(sorted(((area, snapshot[area]) for area in areas), key=str)) + ((None, snapshot[None]),)


def is_current(stamped, current):
    """Whether a value's stamp still holds: none of the areas it read has changed since."""
    return current[None] is not None and all(current.get(area) == value for area, value in stamped)


def stamped_areas(stamped):
    return {area for area, _value in stamped if area is not None}


# --- Stored values


def cached(key, compute, timeout=None):
    """`compute()`'s value, stored under `key` until an edit changes what it read (or `timeout`
    seconds, AGGREGATE_CACHE_TIMEOUT by default). `key` must name every argument the value depends on."""
    full_key = f"portal:value:{key}"
    found = cache.get_many([full_key, *GENERATION_KEYS])  # one round trip
    current = generations(found)
    entry = found.get(full_key)
    if entry is not None and is_current(entry[0], current):
        _used(stamped_areas(entry[0]))
        return entry[1]
    return compute_once(full_key, compute, settings.AGGREGATE_CACHE_TIMEOUT if timeout is None else timeout, current)


def compute_stamped(compute, snapshot):
    """(stamp, compute()'s value): computed on the primary (see computing), its reads noted."""
    with computing(), reading_areas() as areas:
        value = compute()
    return stamp(snapshot, areas), value


def compute_once(full_key, compute, timeout, current):
    """Compute and store a missing value, once for all the requests that miss it together.

    Right after an edit every request misses the value at once; a figure over a million rows
    takes seconds, and computing it in each of them would multiply the load just when it is
    highest. The first request takes a lock (an atomic `add`: shared by every server with Redis)
    and computes; the others wait for its value, up to COMPUTE_WAIT_SECONDS, and compute it
    themselves only if it does not come (the lock expires on its own if its holder dies, and is
    released at once if its computation fails). `current`: the generations read before computing,
    so that an edit made meanwhile leaves the value stale at once.
    """
    lock = f"{full_key}:computing"
    if not cache.add(lock, True, COMPUTE_LOCK_SECONDS):
        deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(COMPUTE_POLL_SECONDS)
            found = cache.get_many([full_key, lock])
            entry = found.get(full_key)
            if entry is not None and is_current(entry[0], current):
                _used(stamped_areas(entry[0]))
                return entry[1]
            if lock not in found:  # released without a value: its computation failed
                break
    try:
        entry = compute_stamped(compute, current)
        cache.set(full_key, entry, timeout)
    finally:
        cache.delete(lock)
    _used(stamped_areas(entry[0]))
    return entry[1]


def invalidate_on_changes_to(*app_labels, after_commit=None):
    """Bump the area's generation on every save, delete and many-to-many change of the apps'
    models (their history and through models included): connected once, for any sender, filtered
    here. `after_commit()`, if given, is called once the change is committed, after the bump."""
    labels = frozenset(app_labels)

    def committed(area):
        bump(area)
        if after_commit is not None:
            after_commit()

    def content_changed(sender, using="default", action="post_", **kwargs):
        if sender._meta.app_label not in labels or not action.startswith("post_"):
            return
        if (area := area_of(sender)) is None:
            return
        bump(area)  # at once: the editor's next read, in or after this transaction, is fresh
        # and again at commit: a value computed by another request before the commit, from the
        # old rows, would otherwise stay stored under the new generation
        transaction.on_commit(lambda: committed(area), using=using)

    for signal_name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(content_changed, weak=False, dispatch_uid=f"portal-cache-{signal_name}")
