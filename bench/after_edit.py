"""The first request after an edit (issue 18's cold path): bench/after_edit.sh starts it.

For the home, a country and a topic page, the project and round listings: the rendered p50 (no
stored response, the aggregates stored), then the first visitor's request after an editor saves
one published record of each kind (a dialogue round, a seminar, a project, a country), and after
everything is dropped (`bump_generation()`, as a bulk import does). An edit drops only what read
its kind of record (dialogues/cache.py), so the figures after a round's edit keep the funding
aggregates, and the ratio to the rendered p50 shows what an edit of each kind costs a visitor.
Prints a Markdown table; not part of the test suite.
"""

import argparse
import statistics
import sys
import time

from measure import bump_generation, get, grow_to, rendered  # sets Django up

from dialogues.models import Country, DialogueRound, Topic
from funding.models import Project
from seminars.models import Seminar

TARGET = 10  # the first request after an edit: at most 10x its rendered p50


def edits():
    def save_first(model):
        def edit():
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
    for name, url in pages:
        base, _queries = rendered(client, url, 10, 2)
        cells = []
        for edit in kinds.values():
            after = first_after(client, url, edit, args.reps)
            cells.append(f"{after:.1f} ({after / base:.0f}x{'' if after / base <= TARGET else ' !'})")
        print(f"| {name} | {base:.1f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
