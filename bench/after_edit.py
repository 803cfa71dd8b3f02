"""The first request after an edit (issue 18's cold path): bench/after_edit.sh starts it.

For the home, a country and a topic page, the project and round listings: the rendered p50 (no
stored response, the aggregates stored), then the first visitor's request after an editor saves
one published record of each kind (a dialogue round, a seminar, a project, a country), and after
everything is dropped (`bump_generation()`, as a bulk import does). An edit drops only what read
its kind of record (dialogues/cache.py), so the figures after a round's edit keep the funding
aggregates, and the ratio to the rendered p50 shows what an edit of each kind costs a visitor.
A second table: the same first requests once the task worker has stored the slow pages' contents
again (dialogues_portal/content_refresh.py), and how long that took it.
Prints Markdown tables; not part of the test suite.
"""

import argparse
import statistics
import sys
import time

from django.db import transaction
from measure import bump_generation, get, grow_to, rendered  # sets Django up

from dialogues.models import Country, DialogueRound, Topic
from dialogues_portal.content_refresh import refresh_content
from funding.models import Project
from seminars.models import Seminar

TARGET = 10  # the first request after an edit: at most 10x its rendered p50


def edits():
    def save_first(model):
        def edit():
            with transaction.atomic():  # as the admin's and the API's saves are
                model.objects.published().order_by("pk").first().save()

        return edit

    return {
        "a round": save_first(DialogueRound),
        "a seminar": save_first(Seminar),
        "a project": save_first(Project),
        "a country": save_first(Country),
        "everything": bump_generation,
    }


def first_after(client, url, edit, reps):
    """The p50 in ms of the first request of `url` after `edit()`, the page stored before each."""
    times = []
    for _ in range(reps):
        get(client, url)()  # stored, with whatever it needs
        edit()
        started = time.perf_counter()
        get(client, url)()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def first_after_refresh(client, urls, edit, reps):
    """({url: p50 ms of its first request}, p50 s of the refresh) once the task worker has
    refreshed the stored contents after `edit()` (dialogues_portal/content_refresh.py; run here
    in-process, sharing the cache as a worker does through Redis): one refresh per edit, then
    each page's first request."""
    times, refreshes = {url: [] for url in urls}, []
    for _ in range(reps):
        for url in urls:
            get(client, url)()
        edit()
        started = time.perf_counter()
        refresh_content.call()
        refreshes.append(time.perf_counter() - started)
        for url in urls:
            started = time.perf_counter()
            get(client, url)()
            times[url].append((time.perf_counter() - started) * 1000)
    return {url: statistics.median(series) for url, series in times.items()}, statistics.median(refreshes)


def cell(after, base):
    return f"{after:.1f} ({after / base:.0f}x{'' if after / base <= TARGET else ' !'})"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=100_000, help="synthetic projects to grow to")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    seconds, added = grow_to(args.projects)
    print(f"{added:,} synthetic projects added in {seconds:.0f} s", file=sys.stderr)
    from django.test import Client

    client = Client()
    country = Country.objects.published().get(iso_code="KZ")
    topic = Topic.objects.published().order_by("pk").first()
    pages = [
        ("Home page", "/en/"),
        ("Country page", f"/en/countries/{country.slug}/"),
        ("Topic page", f"/en/topics/{topic.slug}/"),
        ("Project listing", "/en/funding/projects/"),
        ("Round listing", "/en/dialogues/"),
    ]
    kinds = edits()
    print(f"At {Project.objects.count():,} projects; each cell the p50 of {args.reps}, ms (x rendered p50).\n")
    print("| Page | rendered p50 | " + " | ".join(f"after {kind}" for kind in kinds) + " |")
    print("|---|---:|" + "---:|" * len(kinds))
    bases = {}
    for name, url in pages:
        bases[url], _queries = rendered(client, url, 10, 2)
        cells = [cell(first_after(client, url, edit, args.reps), bases[url]) for edit in kinds.values()]
        print(f"| {name} | {bases[url]:.1f} | " + " | ".join(cells) + " |", flush=True)
    print("\nThe same first requests once the task worker has refreshed the stored contents; the last")
    print("row: how long the worker's refresh took after each kind of edit, p50 s.\n")
    print("| Page | rendered p50 | " + " | ".join(f"after {kind}" for kind in kinds) + " |")
    print("|---|---:|" + "---:|" * len(kinds))
    refreshed, refresh_seconds, urls = {}, {}, [url for _name, url in pages]
    for kind, edit in kinds.items():
        refreshed[kind], refresh_seconds[kind] = first_after_refresh(client, urls, edit, args.reps)
    for name, url in pages:
        cells = [cell(refreshed[kind][url], bases[url]) for kind in kinds]
        print(f"| {name} | {bases[url]:.1f} | " + " | ".join(cells) + " |", flush=True)
    print("| (the worker's refresh, s) | | " + " | ".join(f"{refresh_seconds[kind]:.2f}" for kind in kinds) + " |")


if __name__ == "__main__":
    main()
