"""Where the first request of a page right after an edit spends its time (for bench/notes.md):
each section of its content rendered again (dialogues_portal/views/cached_content.py) with its
queries, then a profile of one such request. Not part of the benchmark's run.

    cd bench && DATABASE_URL=... ../.venv/bin/python profile_after_edit.py /en/countries/kazakhstan/ [--model round]
"""

import argparse
import cProfile
import pstats
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from measure import get  # sets Django up

from dialogues.models import DialogueRound
from dialogues_portal.views.cached_content import CachedContentMixin
from funding.models import Project

MODELS = {"project": Project, "round": DialogueRound}
render_section = CachedContentMixin.render_section


def timed_section(view, section):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        html = render_section(view, section)
    elapsed = (time.perf_counter() - started) * 1000
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    print(f"  section {section.name}: {elapsed:.1f} ms, {len(queries)} queries ({sql:.0f} ms)")
    return html


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--model", choices=MODELS, default="project")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    fetch = get(Client(), args.url)

    def edit():
        with transaction.atomic():  # as the admin's and the API's saves are
            MODELS[args.model].objects.published().order_by("pk").first().save()

    CachedContentMixin.render_section = timed_section
    for _ in range(3):
        fetch()
        edit()
        started = time.perf_counter()
        fetch()
        print(f"after an edit: {(time.perf_counter() - started) * 1000:.1f} ms")
    CachedContentMixin.render_section = render_section
    fetch()
    edit()
    with CaptureQueriesContext(connection) as queries:
        profile = cProfile.Profile()
        profile.enable()
        fetch()
        profile.disable()
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    print(f"{len(queries)} queries, {sql:.1f} ms in SQL")
    for query in sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:8]:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
