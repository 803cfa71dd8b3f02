"""Where one request's time goes, on the rendered path (the response cache off, the aggregate
cache warm) unless told otherwise: its p50, its queries with their time in PostgreSQL (planning
and execution, from EXPLAIN ANALYZE), then a cProfile of one more request. Not part of the
benchmark's run; for bench/notes.md.

    cd bench && DATABASE_URL=... ../.venv/bin/python profile_request.py /api/v1/projects/ [--admin] [--cold]
"""

import argparse
import cProfile
import pstats
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from measure import bump_generation, get  # sets Django up

ADMIN_USER = "profile-admin"


def client_for(admin):
    client = Client()
    if admin:
        user, _ = get_user_model().objects.get_or_create(
            username=ADMIN_USER, defaults={"is_staff": True, "is_superuser": True}
        )
        client.force_login(user)
    return client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--admin", action="store_true", help="as a superuser (the admin's pages)")
    parser.add_argument("--cold", action="store_true", help="every cache dropped before each request")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    client = client_for(args.admin)
    fetch = get(client, args.url)
    with override_settings(PUBLIC_RESPONSE_CACHE=False):
        for _ in range(3):
            fetch()
        times = []
        for _ in range(args.reps):
            if args.cold:
                bump_generation()
            started = time.perf_counter()
            fetch()
            times.append((time.perf_counter() - started) * 1000)
        print(f"{args.url}: p50 {statistics.median(times):.2f} ms over {args.reps}")
        if args.cold:
            bump_generation()
        with CaptureQueriesContext(connection) as queries:
            fetch()
        executed = []
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                executed.append((None, None, sql))
                continue
            with connection.cursor() as cursor:  # the same statement, its parameters inlined by Django's log
                cursor.execute("EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0][0]
            executed.append((plan["Planning Time"], plan["Execution Time"], sql))
        planning = sum(p for p, _e, _s in executed if p is not None)
        execution = sum(e for _p, e, _s in executed if e is not None)
        print(f"{len(executed)} queries: planning {planning:.2f} ms, execution {execution:.2f} ms")
        for plan_ms, exec_ms, sql in executed:
            timing = "" if plan_ms is None else f"{plan_ms:5.2f} + {exec_ms:5.2f} ms"
            print(f"  {timing:>16}  {sql[:110]}")
        if args.cold:
            bump_generation()
        profile = cProfile.Profile()
        profile.runcall(fetch)
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
