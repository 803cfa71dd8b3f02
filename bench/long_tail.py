"""Throughput under a long tail of URLs (issue 18): bench/long_tail.sh starts it.

10,000 distinct project listings, HTML and API (every combination of country, topic and years,
shuffled with a fixed seed), requested in a Zipf-like distribution: the URL of rank r is asked
1/r as often as the first, so a few are asked most of the time and most are asked once or never
while the run lasts, as a site's filter combinations are. Each portal URL has its raw-SQL twin on
bench/rawsql_app.py (the same filters, the same page of rows and their countries), requested
with the same weights. Both under wrk, 50 connections for --duration seconds after a warm-up;
the portal with 2 gunicorn workers sharing Redis, as deployed. Prints a Markdown table; not part
of the test suite.
"""

import argparse
import itertools
import random
import sys
import time

from measure import (  # sets Django up
    ROOT,
    WARM_UP_SECONDS,
    grow_to,
    load_portal_and_raw,
)

from dialogues.models import Country, Topic
from funding.models import Project

DISTINCT_URLS = 10_000
SEED = 20261203
HEAD_WEIGHT = 2_000  # lines of the most asked URL in wrk's path file; rank r gets HEAD_WEIGHT / r
YEARS = range(1995, 2027)
PER_PAGE = {"html": 20, "api": 50}


def combinations():
    """Every (kind, country, topic, year_from, year_to) a visitor could ask, None for no filter."""
    countries = [None, *Country.objects.published().order_by("iso_code").values_list("iso_code", "pk")]
    topics = [None, *Topic.objects.published().order_by("slug").values_list("slug", "pk")]
    years = [None, *YEARS]
    for kind, country, topic, year_from, year_to in itertools.product(PER_PAGE, countries, topics, years, years):
        if year_from is not None and year_to is not None and year_to < year_from:
            continue
        yield kind, country, topic, year_from, year_to


def urls(count):
    """[(portal path, raw path)] of `count` distinct listings, in the order of their rank."""
    every = list(combinations())
    random.Random(SEED).shuffle(every)
    chosen = []
    for kind, country, topic, year_from, year_to in every[:count]:
        public, raw = {}, {"limit": PER_PAGE[kind]}
        if country:
            public["country"], raw["country_id"] = country
        if topic:
            public["topic"], raw["topic_id"] = topic
        if year_from:
            public["year_from"] = raw["year_from"] = year_from
        if year_to:
            public["year_to"] = raw["year_to"] = year_to
        base = "/en/funding/projects/" if kind == "html" else "/api/v1/projects/"
        query = "&".join(f"{key}={value}" for key, value in public.items())
        chosen.append((f"{base}?{query}" if query else base, "/page?" + "&".join(f"{k}={v}" for k, v in raw.items())))
    if len({portal for portal, _raw in chosen}) != len(chosen):
        raise SystemExit("the listings are not distinct")
    return chosen


def weighted(paths):
    """wrk's path file (bench/mix.lua draws a line at random): rank r listed HEAD_WEIGHT / r times."""
    lines = []
    for rank, path in enumerate(paths, start=1):
        lines += [path] * max(1, round(HEAD_WEIGHT / rank))
    return lines


def measure_long_tail(duration, out_dir, count=DISTINCT_URLS):
    """load_portal_and_raw()'s figures for `count` listings, with "urls" and "lines" (weighted)."""
    chosen = urls(count)
    portal_paths = weighted([portal for portal, _raw in chosen])
    raw_paths = weighted([raw for _portal, raw in chosen])
    results = load_portal_and_raw(portal_paths, raw_paths, duration, out_dir, "long-tail")
    results.update(urls=len(chosen), lines=len(portal_paths))
    print(f"  long tail {results}")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=100_000, help="synthetic projects to grow to")
    parser.add_argument("--duration", type=int, default=60, help="wrk seconds per server")
    parser.add_argument("--urls", type=int, default=DISTINCT_URLS)
    args = parser.parse_args()
    seconds, added = grow_to(args.projects)
    print(f"{added:,} synthetic projects added in {seconds:.0f} s", file=sys.stderr)
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(exist_ok=True)
    results = measure_long_tail(args.duration, out_dir, args.urls)
    print(f"At {Project.objects.count():,} projects, {results['urls']:,} distinct listings (HTML and API),")
    print(f"{results['lines']:,} weighted lines; wrk 50 connections, {args.duration} s after {WARM_UP_SECONDS} s")
    print(f"of warm-up; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n")
    print("| Server | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("portal", "raw"):
        result = results[name]
        print(
            f"| {name} | {result['requests']:,} | {result['rps']:.0f} | {result['p50_ms']:.1f}"
            f" | {result['p99_ms']:.1f} | {result['errors']} |"
        )
    met = results["ratio"] >= 0.5 and results["portal"]["errors"] == 0
    print(f"\nPortal: {results['ratio']:.0%} of the raw-SQL app's requests per second (target ≥50%, zero errors):")
    print("**met**" if met else "**not met**")


if __name__ == "__main__":
    main()
