"""The performance benchmark (bench/run.sh starts it): server time of the public listings, the API,
search and export at growing sizes, each figure next to references measured in the same run.

References: the floor (the raw SQL of the same page through psycopg, bench/floor.py) and the peer
(the Django admin changelist with the same filter). Throughput: gunicorn with 2 workers under wrk,
against the raw-SQL WSGI app (bench/rawsql_app.py) under the same load.
Writes docs/benchmarks.md. Not part of the test suite: it takes minutes and needs PostgreSQL.
"""

import argparse
import contextlib
import datetime
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogues_portal.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from floor import page_rows  # noqa: E402

from dialogues.cache import bump_generation  # noqa: E402
from dialogues.models import Country, Topic  # noqa: E402
from funding.models import Project  # noqa: E402

FILTER_YEARS = (2010, 2020)
SEARCH_TEXT = "torture"  # in one synthetic project of fourteen
RARE_SEARCH_TEXT = "Kazakh"  # in one real project's title only
HTML_PAGE, API_PAGE = 20, 50
PORTAL_PORT, RAW_PORT = 8765, 8766
WARM_ROUNDS = 4  # the warm series of a size, spread over its measurements (see spread_warm_rounds)
DETAIL_PAGES = 1_000  # different project pages in the throughput mix
WARM_UP_SECONDS = 15  # wrk's load before the measured one: caches filled, as on a running server


# --- timing ---------------------------------------------------------------------------------------


def summarise(times):
    times = sorted(times)
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]}


def timed(function, reps, warmup, *, before=None):
    """p50 and p95 of `function` in ms; `before` runs ahead of each call, untimed."""
    gc.collect()  # every series starts from the same garbage collector state
    started = time.perf_counter()
    function()
    if time.perf_counter() - started > 0.5:  # a slow request: a few repetitions tell enough
        reps, warmup = min(reps, 5), 0
    for _ in range(warmup):
        function()
    times = []
    for _ in range(reps):
        if before is not None:
            before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return {**summarise(times), "times": times}


def cold(client, url, reps):
    """The same request with the aggregate cache emptied before each repetition (a new generation:
    dialogues/cache.py), as after an edit: the response, filter form, counts, ranked search ids and
    page contents are computed again."""
    return timed(get(client, url), max(5, reps // 4), 1, before=bump_generation)["p50"]


def rendered(client, url, reps, warmup):
    """The request rendered with the aggregate cache warm but without the response cache
    (dialogues_portal/response_cache.py): what a visitor of a URL nobody asked for since the
    last edit waits for, or an editor (who is never served a stored response)."""
    with override_settings(PUBLIC_RESPONSE_CACHE=False):
        return timed(get(client, url), reps, warmup)["p50"], query_count(client, url)


def get(client, url):
    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        return response

    return fetch


def captured_queries(client, url):
    """The queries of one request. The log of queries is emptied first: it keeps at most 9,000,
    and a capture taken once it is full counts none."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        get(client, url)()
    return queries.captured_queries


def query_count(client, url):
    return len(captured_queries(client, url))


# --- data -----------------------------------------------------------------------------------------


def grow_to(size):
    """Synthetic projects up to `size` (adding to those already there); seconds spent."""
    have = Project.objects.filter(is_synthetic=True).count()
    if have >= size:
        return 0.0, 0
    # in a process of its own, as an operator runs it: generated in this process, the requests
    # measured after it were slower (a stored response at 1M: 0.55-0.72 ms, against 0.31-0.53 ms
    # measured by a fresh process on the same data)
    command = [sys.executable, "manage.py", "generate_synthetic_data", "--keep", "--verbosity", "0"]
    started = time.monotonic()
    subprocess.run([*command, "--projects", str(size - have), "--seed", str(size)], cwd=ROOT, check=True)
    elapsed = time.monotonic() - started
    bump_generation()  # the generator dropped the figures of its own process's cache, not of this one
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # write out what generation and VACUUM dirtied now, not during the measurements: the
        # checkpointer's writes would compete with them for the two cores
        cursor.execute("CHECKPOINT")
    return elapsed, size - have


def psycopg_dsn():
    db = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        host=db["HOST"], port=str(db["PORT"] or 5432), dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"]
    )


def deep_key(position):
    """(starts_on, id) of the row at `position` in the listing's order: where a deep page starts."""
    row = Project.objects.published().order_by(*Project._meta.ordering).values_list("starts_on", "pk")[position]
    return row


def deep_cursor(key):
    from dialogues.listing import encode_keyset

    return encode_keyset(key)


def export_filter(country):
    """A project filter of about 100,000 rows (or all of one country's at smaller sizes)."""
    per_year = dict(
        Project.objects.published()
        .filter(countries=country, starts_on__isnull=False)
        .values_list("starts_on__year")
        .annotate(n=django.db.models.Count("pk"))
        .order_by()
        .values_list("starts_on__year", "n")
    )
    total, first = 0, max(per_year)
    for year in sorted(per_year, reverse=True):
        if total >= 100_000:
            break
        total, first = total + per_year[year], year
    return f"country={country.iso_code}&year_from={first}", total


# --- the benchmark --------------------------------------------------------------------------------


def measure_size(size, args, admin):
    country = Country.objects.published().get(iso_code="KZ")
    topic = Topic.objects.published().order_by("pk").first()
    public, staff = Client(), Client()
    staff.force_login(admin)
    deep = deep_key(Project.objects.published().count() // 2)
    cursor = deep_cursor(deep)
    year_from, year_to = FILTER_YEARS
    filtered = f"country={country.iso_code}&topic={topic.slug}&year_from={year_from}&year_to={year_to}"
    admin_filtered = (
        f"countries__id__exact={country.pk}&topics__id__exact={topic.pk}"
        f"&starts_on__gte={year_from}-01-01&starts_on__lte={year_to}-12-31"
    )
    # never prepared: a prepared statement may switch to a generic plan, which for the arrays'
    # `&&` is a scan of the table; the portal's queries (Django binds client-side) never do
    floor_connection = psycopg.connect(psycopg_dsn(), autocommit=True, prepare_threshold=None)
    filters = {"country_id": country.pk, "topic_id": topic.pk, "year_from": year_from, "year_to": year_to}
    admin_deep_page = max(1, deep_position_page(size, 100))
    listings = [
        # name, url, floor(limit), admin url
        ("HTML filtered", f"/en/funding/projects/?{filtered}", ("page", filters), f"?{admin_filtered}"),
        ("HTML first page", "/en/funding/projects/", ("page", {}), ""),
        ("HTML deep page", f"/en/funding/projects/?after={cursor}", ("page", {"after": deep}), f"?p={admin_deep_page}"),
        ("HTML search", f"/en/funding/projects/?q={SEARCH_TEXT}", ("page", {"q": SEARCH_TEXT}), f"?q={SEARCH_TEXT}"),
        ("API filtered", f"/api/v1/projects/?{filtered}", ("api", filters), f"?{admin_filtered}"),
        ("API first page", "/api/v1/projects/", ("api", {}), ""),
        ("API deep page", f"/api/v1/projects/?cursor=n{cursor}", ("api", {"after": deep}), f"?p={admin_deep_page}"),
        ("API search", f"/api/v1/projects/?q={SEARCH_TEXT}", ("api", {"q": SEARCH_TEXT}), f"?q={SEARCH_TEXT}"),
    ]
    some_project = Project.objects.published().order_by("pk")[size // 3].pk
    pages = [
        ("Project detail", f"/en/funding/projects/{some_project}/"),
        ("Country page", f"/en/countries/{country.slug}/"),
        ("Home page", "/en/"),
    ]
    results, admin_cache = [], {}
    for name, url, (kind, floor_filters), admin_query in listings:
        limit = HTML_PAGE if kind == "page" else API_PAGE
        get(public, url)()  # stored again, if the previous request's cold measurement emptied the cache
        timing = timed(get(public, url), args.reps, args.warmup)
        rendered_p50, queries = rendered(public, url, args.reps, args.warmup)
        floor = timed(lambda f=floor_filters, n=limit: page_rows(floor_connection, n, **f), args.reps, args.warmup)
        if admin_query not in admin_cache:
            admin_url = f"/admin/funding/project/{admin_query}"
            admin_cache[admin_query] = timed(get(staff, admin_url), args.admin_reps, 1)
        results.append(
            {
                "name": name,
                "url": url,
                **timing,
                "rendered_p50": rendered_p50,
                "queries": queries,
                "cold_p50": cold(public, url, args.reps),
                "floor_p50": floor["p50"],
                "admin_p50": admin_cache[admin_query]["p50"],
            }
        )
        admin_p50 = admin_cache[admin_query]["p50"]
        print(
            f"  {name:18} p50 {timing['p50']:8.2f} ms  rendered {rendered_p50:7.2f} cold {results[-1]['cold_p50']:8.2f}"
            f"  floor {floor['p50']:6.2f}  admin {admin_p50:8.2f}"
        )
    for name, url in pages:
        get(public, url)()  # stored again, if the previous request's cold measurement emptied the cache
        timing = timed(get(public, url), args.reps, args.warmup)
        rendered_p50, queries = rendered(public, url, args.reps, args.warmup)
        results.append(
            {
                "name": name,
                "url": url,
                **timing,
                "rendered_p50": rendered_p50,
                "queries": queries,
                "cold_p50": cold(public, url, args.reps),
            }
        )
        print(
            f"  {name:18} p50 {timing['p50']:8.2f} ms  rendered {rendered_p50:7.2f} cold {results[-1]['cold_p50']:8.2f}"
        )
    admin_rows = measure_admin(staff, floor_connection, args.admin_reps)
    floor_connection.close()
    spread_warm_rounds(public, results, args)
    return {
        "size": size,
        "results": results,
        "search_index": search_index_ratio(args),
        "deep": deep,
        "admin": admin_rows,
        "after_edit": measure_after_edit(public, country, topic, args.after_edit_reps),
    }


def measure_admin(staff, floor_connection, reps):
    """[{name, url, p50, floor_p50, queries}]: each changelist of bench/admin_figures.py beside its
    page query sent again through psycopg, and a project's change form."""
    from admin_figures import changelists, page_query

    rows = []
    for name, url, model in changelists():
        get(staff, url)()
        captured = captured_queries(staff, url)
        sql = page_query(captured, model)

        def floor(sql=sql):
            with floor_connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()

        rows.append(
            {
                "name": name,
                "url": url,
                "p50": timed(get(staff, url), reps, 1)["p50"],
                "floor_p50": timed(floor, reps * 4, 2)["p50"],
                "queries": len(captured),
            }
        )
        print(f"  admin {name:32} p50 {rows[-1]['p50']:8.2f} ms  floor {rows[-1]['floor_p50']:6.2f}")
    project = Project.objects.published().filter(topics__isnull=False).order_by("pk").first()
    url = f"/admin/funding/project/{project.pk}/change/"
    get(staff, url)()
    queries = query_count(staff, url)
    rows.append({"name": "Project change form", "url": url, "p50": timed(get(staff, url), reps, 1)["p50"]})
    rows[-1]["queries"] = queries
    print(f"  admin project change form p50 {rows[-1]['p50']:8.2f} ms, {queries} queries")
    return rows


def measure_after_edit(client, country, topic, reps):
    """The first request of the home, a country and a topic page after an editor saves a round or
    a project: right after the save (bench/after_edit.py), and once the task worker's refresh
    (dialogues_portal/content_refresh.py, run here in-process as a worker shares the cache through
    Redis) has stored the pages again; that refresh timed once per edit for all the pages."""
    from after_edit import edits, first_after, first_after_refresh

    pages = [
        ("Home page", "/en/"),
        ("Country page", f"/en/countries/{country.slug}/"),
        ("Topic page", f"/en/topics/{topic.slug}/"),
    ]
    kinds = {kind: edit for kind, edit in edits().items() if kind in ("a round", "a project")}
    rows = {name: {"name": name, "rendered_p50": rendered(client, url, 10, 2)[0], "after": {}} for name, url in pages}
    for kind, edit in kinds.items():
        for name, url in pages:
            rows[name]["after"][kind] = {"right_after": first_after(client, url, edit, reps)}
        refreshed, refresh_s = first_after_refresh(client, [url for _name, url in pages], edit, reps)
        for name, url in pages:
            after = rows[name]["after"][kind]
            after["refreshed"], after["refresh_s"] = refreshed[url], refresh_s
            print(f"  after {kind}, {name}: {after}")
    return list(rows.values())


def spread_warm_rounds(client, results, args):
    """More warm series of every request, after all the others of the size: its p50 and p95 are
    then over WARM_ROUNDS series taken minutes apart, not one moment of 20 ms."""
    samples = {row["name"]: list(row.pop("times")) for row in results}
    for _round in range(WARM_ROUNDS - 1):
        for row in results:
            get(client, row["url"])()  # stored again if a cold measurement emptied the cache meanwhile
            samples[row["name"]] += timed(get(client, row["url"]), args.reps, args.warmup)["times"]
    for row in results:
        row.update(summarise(samples[row["name"]]))
        print(f"  {row['name']:18} warm p50 over {len(samples[row['name']])} requests {row['p50']:8.2f} ms")


def deep_position_page(size, per_page):
    return (size // 2) // per_page


def search_index_ratio(args):
    """The project search's SQL with its GIN index, and without (dropped in a rolled-back
    transaction), for a common word and a rare one. Only the first 2,000 matches are ranked, so a
    common word finds them soon even without the index; a rare word shows what the index is for."""
    from dialogues.search import StoredSearchDocument, ranking, search_query

    figures = {}
    for kind, text in (("common", SEARCH_TEXT), ("rare", RARE_SEARCH_TEXT)):
        # the search's ranking query itself (the portal caches its ids: dialogues/search.py)
        query = search_query(text)
        matches = Project.objects.published().alias(matched_document=StoredSearchDocument())
        queryset = ranking(matches.filter(matched_document=query), query, StoredSearchDocument())[:API_PAGE]
        sql, params = queryset.query.sql_with_params()

        def run(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        with_index = timed(run, args.reps, args.warmup)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX project_search_document")
            without = timed(run, 3, 1)
            transaction.set_rollback(True)
        figures[kind] = {
            "text": text,
            "with": with_index["p50"],
            "without": without["p50"],
            "ratio": without["p50"] / with_index["p50"],
        }
    return figures


# --- export in a fresh process: its peak memory is the export's --------------------------------


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def export_child(url):
    client = Client()
    client.get("/en/funding/projects/")  # imports, templates and connections: not the export's memory
    baseline, peak, done = rss_mb(), [rss_mb()], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    body = response.streaming_content if response.streaming else [response.content]
    lines = sum(chunk.count(b"\n") for chunk in body)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    rows = lines - 1  # the header
    print(json.dumps({"rows": rows, "seconds": elapsed, "rss_growth_mb": peak[0] - baseline, "peak_rss_mb": peak[0]}))


def measure_memory(size_result, out_dir):
    """The peak RSS of a gunicorn worker (gunicorn.conf.py, one worker, DEBUG off) serving one
    request, for the requests that read most rows: deep pages, searches, exports, the stories.
    Each URL gets a fresh server, its worker warmed by one uncounted request of the listing; the
    worker's peak (VmHWM) is reset before the request and read after its last byte."""
    import urllib.request

    country = Country.objects.published().get(iso_code="KZ")
    cursor = deep_cursor(size_result["deep"])
    query, _rows = export_filter(country)
    urls = [
        ("HTML deep page", f"/en/funding/projects/?after={cursor}"),
        ("API deep page", f"/api/v1/projects/?cursor=n{cursor}"),
        ("HTML search", f"/en/funding/projects/?q={SEARCH_TEXT}"),
        ("API search", f"/api/v1/projects/?q={SEARCH_TEXT}"),
        ("CSV export", f"/en/funding/projects/export.csv?{query}"),
        ("JSON export", f"/en/funding/projects/export.json?{query}"),
        ("Country page, cold", f"/en/countries/{country.slug}/"),
        ("Home page, cold", "/en/"),
    ]
    python_bin = Path(sys.executable).parent
    env = {
        **os.environ,
        "WEB_CONCURRENCY": "1",
        "DEBUG": "False",
        "API_ANON_RATE": "off",
        "GUNICORN_BIND": f"127.0.0.1:{PORTAL_PORT}",
    }

    def get(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{PORTAL_PORT}{path}", timeout=120) as response:
            while response.read(1 << 16):
                pass

    rows = []
    with open(out_dir / "gunicorn-memory.log", "w") as log:
        for name, url in urls:
            command = [python_bin / "gunicorn", "-c", "gunicorn.conf.py", "dialogues_portal.wsgi"]
            server = serve(command, PORTAL_PORT, env, log)
            try:
                get("/en/funding/projects/")  # imports, templates and connections: not the request's memory
                (worker,) = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
                baseline = proc_status_mb(worker, "VmRSS")
                Path(f"/proc/{worker}/clear_refs").write_text("5")  # the peak starts again from now
                get(url)
                peak = proc_status_mb(worker, "VmHWM")
            finally:
                server.terminate()
                server.wait(30)
            rows.append({"name": name, "url": url, "peak_rss_mb": peak, "rss_growth_mb": peak - baseline})
            print(f"  memory {name}: worker peak RSS {peak:.0f} MB (+{peak - baseline:.1f})")
    return rows


def proc_status_mb(pid, field):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


def measure_export():
    country = Country.objects.published().get(iso_code="KZ")
    query, expected = export_filter(country)
    url = f"/en/funding/projects/export.csv?{query}"
    for _run in ("warm-up", "measured"):  # like every figure here, after a warm-up (the rows in memory)
        output = subprocess.run(
            [sys.executable, __file__, "--export-child", url], check=True, capture_output=True, text=True
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["url"], result["rows_per_second"] = url, result["rows"] / result["seconds"]
    print(f"  export {result['rows']} rows in {result['seconds']:.2f} s, +{result['rss_growth_mb']:.1f} MB")
    return result


# --- throughput under wrk ----------------------------------------------------------------------------


def wait_for(port, path):
    import urllib.request

    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not answer")


@contextlib.contextmanager
def redis_server(out_dir):
    """A throwaway redis-server on a Unix socket for the portal's workers; its URL."""
    socket = out_dir / "redis.sock"
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory",
            "1gb",
            "--maxmemory-policy",
            "allkeys-lru",
        ],  # as README's Deployment says
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        yield f"unix://{socket}"
    finally:
        process.terminate()
        process.wait(10)


def run_wrk(port, paths, duration, out_dir, name=None):
    paths_file = out_dir / f"paths-{port}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    command = [
        "wrk", "-t2", "-c50", f"-d{duration}s", "--timeout", "10s", "--latency",
        "-s", str(ROOT / "bench" / "mix.lua"), f"http://127.0.0.1:{port}",
    ]  # fmt: skip
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, env={**os.environ, "WRK_PATHS": str(paths_file)}
    ).stdout
    (out_dir / f"wrk-{name or port}.txt").write_text(output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99_ms": to_ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "p50_ms": to_ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "errors": non_2xx + socket_errors,
    }


def worker_peak_rss_mb(master):
    """The largest peak RSS (VmHWM) among the gunicorn master's workers: what the requests of
    the run cost the worker at most."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return max(proc_status_mb(pid, "VmHWM") for pid in children)


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def serve(command, port, env, log):
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(port, "/healthz" if port == PORTAL_PORT else "/unfiltered")
    except BaseException:
        process.terminate()
        raise
    return process


def measure_throughput(size_result, duration, out_dir):
    country = Country.objects.published().get(iso_code="KZ")
    topic = Topic.objects.published().order_by("pk").first()
    year_from, year_to = FILTER_YEARS
    filtered = f"country=KZ&topic={topic.slug}&year_from={year_from}&year_to={year_to}"
    cursor = deep_cursor(size_result["deep"])
    # a long tail of project pages: most are rendered on their first request of the run
    ids = list(Project.objects.published().order_by("?").values_list("pk", flat=True)[:DETAIL_PAGES])
    listing_paths = (
        [f"/en/funding/projects/?{filtered}"] * 3
        + ["/en/funding/projects/"] * 2
        + [f"/en/funding/projects/?after={cursor}"]
    )
    api_paths = [f"/api/v1/projects/?{filtered}"] * 3 + ["/api/v1/projects/"] * 2
    api_paths += [f"/api/v1/projects/?cursor=n{cursor}"]
    # two thirds listings, API lists, searches and overview pages; one third project pages
    portal_paths = (
        listing_paths * 120
        + api_paths * 120
        + [f"/en/funding/projects/?q={SEARCH_TEXT}", f"/api/v1/projects/?q={SEARCH_TEXT}"] * 120
        + [f"/en/countries/{country.slug}/", "/en/"] * 120
        + [f"/en/funding/projects/{pk}/" for pk in ids]
    )
    raw_paths = ["/filtered"] * 3 + ["/unfiltered"] * 2 + ["/deep"]
    raw_env = {
        "BENCH_COUNTRY_ID": str(country.pk),
        "BENCH_TOPIC_ID": str(topic.pk),
        "BENCH_YEAR_FROM": str(year_from),
        "BENCH_YEAR_TO": str(year_to),
        "BENCH_DEEP_DATE": size_result["deep"][0].isoformat(),
        "BENCH_DEEP_ID": str(size_result["deep"][1]),
    }
    results = load_portal_and_raw(portal_paths, raw_paths, duration, out_dir, "throughput", raw_env)
    print(f"  throughput portal {results['portal']} raw {results['raw']}")
    return results


def load_portal_and_raw(portal_paths, raw_paths, duration, out_dir, label, raw_env=None):
    """wrk's figures for the portal (gunicorn, 2 workers sharing a throwaway Redis, as deployed:
    README, "Deployment"; with its workers' peak RSS) under `portal_paths`, then for the raw-SQL
    app under `raw_paths`, each after WARM_UP_SECONDS of uncounted load; and the ratio of their
    requests per second. `raw_env`: the raw app's parameters beyond its database."""
    python_bin = Path(sys.executable).parent
    base_env = {**os.environ, "WEB_CONCURRENCY": "2", "DEBUG": "False", "API_ANON_RATE": "off"}
    results = {}
    with open(out_dir / f"gunicorn-{label}.log", "w") as log, redis_server(out_dir) as redis_url:
        servers = (
            (
                "portal",
                [python_bin / "gunicorn", "-c", "gunicorn.conf.py", "dialogues_portal.wsgi"],
                PORTAL_PORT,
                {**base_env, "GUNICORN_BIND": f"127.0.0.1:{PORTAL_PORT}", "REDIS_URL": redis_url},
                portal_paths,
            ),
            (
                "raw",
                [python_bin / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{RAW_PORT}", "bench.rawsql_app:application"],
                RAW_PORT,
                {**base_env, "BENCH_PSYCOPG_DSN": psycopg_dsn(), **(raw_env or {})},
                raw_paths,
            ),
        )
        for name, command, port, env, paths in servers:
            server = serve(command, port, env, log)
            try:
                run_wrk(port, paths, WARM_UP_SECONDS, out_dir, name=f"{label}-warm-up-{name}")  # not counted
                results[name] = run_wrk(port, paths, duration, out_dir, name=f"{label}-{name}")
                if name == "portal":
                    results[name]["worker_peak_rss_mb"] = worker_peak_rss_mb(server)
            finally:
                server.terminate()
                server.wait(30)
    results["ratio"] = results["portal"]["rps"] / results["raw"]["rps"]
    return results


# --- report -------------------------------------------------------------------------------------------


def machine():
    cpuinfo, meminfo = Path("/proc/cpuinfo").read_text(), Path("/proc/meminfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    memory_kb = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory_kb / 2**20, 1),
        "postgresql": pg_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def mark(ok):
    return "**met**" if ok else "**not met**"


def load_figures(t):
    """A load run's cell: load_portal_and_raw()'s figures of both servers and their ratio."""
    p, r = t["portal"], t["raw"]
    return (
        f"portal {p['rps']:.0f} req/s (p50 {p['p50_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms, {p['errors']} errors"
        f" in {p['requests']:,}); raw SQL {r['rps']:.0f} req/s (p99 {r['p99_ms']:.1f} ms, {r['errors']} errors):"
        f" {100 * t['ratio']:.0f}%"
    )


def admin_table(result):
    if not result.get("admin"):
        return []
    lines = [
        f"Admin at {result['size']:,} projects (as a superuser; floor: the changelist's own query for its",
        "page of rows, sent again through psycopg):",
        "",
        "| Admin page | p50 ms | floor p50 ms | x floor | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result["admin"]:
        floor = row.get("floor_p50")
        floor_cells = f"{floor:.2f} | {row['p50'] / floor:.0f}" if floor else " | "
        lines.append(f"| {row['name']} | {row['p50']:.1f} | {floor_cells} | {row['queries']} |")
    return [*lines, ""]


def after_edit_table(result):
    if not result.get("after_edit"):
        return []
    kinds = list(result["after_edit"][0]["after"])
    lines = [
        f"The first request after an edit at {result['size']:,} projects, ms (x the rendered p50): right after",
        "the editor's save, and once the task worker has stored the pages again"
        " (dialogues_portal/content_refresh.py, run in-process; its time in brackets, s):",
        "",
        "| Page | rendered p50 | " + " | ".join(f"after {kind} | refreshed after {kind}" for kind in kinds) + " |",
        "|---|---:|" + "---:|---:|" * len(kinds),
    ]
    for row in result["after_edit"]:
        base, cells = row["rendered_p50"], []
        for kind in kinds:
            after = row["after"][kind]
            cells.append(f"{after['right_after']:.1f} ({after['right_after'] / base:.0f}x)")
            cells.append(f"{after['refreshed']:.1f} ({after['refreshed'] / base:.0f}x) [{after['refresh_s']:.1f} s]")
        lines.append(f"| {row['name']} | {base:.1f} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def issue_18_targets(data, largest, smallest):
    """The rows of the targets table for the rendered, cold, admin, long-tail and memory paths."""
    lines = []
    by_name = {row["name"]: row for row in largest["results"]}
    for name, row in by_name.items():
        if "floor_p50" not in row:
            continue
        limit = 3 if name.startswith("API") else 6
        ratio = row["rendered_p50"] / row["floor_p50"]
        lines.append(f"| {name}, rendered: ≤{limit}x floor | {ratio:.1f}x | {mark(ratio <= limit)} |")
    for row in largest.get("after_edit", []):
        for kind, after in row["after"].items():
            right, refreshed = after["right_after"] / row["rendered_p50"], after["refreshed"] / row["rendered_p50"]
            lines.append(
                f"| {row['name']}, first request after {kind}: ≤10x its rendered p50 | {right:.0f}x right after"
                f" the save; {refreshed:.1f}x once the worker has refreshed it ({after['refresh_s']:.1f} s later)"
                f" | {mark(right <= 10)} (refreshed: {mark(refreshed <= 10)}) |"
            )
    small_admin = {row["name"]: row for row in smallest.get("admin", [])}
    for row in largest.get("admin", []):
        if row.get("floor_p50"):
            ratio = row["p50"] / row["floor_p50"]
            measured = f"{ratio:.0f}x ({row['p50']:.0f} ms)"
            lines.append(f"| Admin, {row['name']}: ≤10x floor | {measured} | {mark(ratio <= 10)} |")
        elif row["name"] in small_admin:
            before = small_admin[row["name"]]["queries"]
            lines.append(
                f"| Admin, {row['name']}: a fixed number of queries | {before} → {row['queries']}"
                f" | {mark(row['queries'] <= before)} |"
            )
    if data.get("long_tail"):
        t = data["long_tail"]
        lines.append(
            f"| Long tail ({t['urls']:,} distinct listings, Zipf-like): ≥50% of the raw-SQL app's req/s, zero"
            f" errors | {load_figures(t)} | {mark(t['ratio'] >= 0.5 and t['portal']['errors'] == 0)} |"
        )
    if data.get("long_tail", {}).get("portal", {}).get("worker_peak_rss_mb"):
        peak = data["long_tail"]["portal"]["worker_peak_rss_mb"]
        lines.append(
            f"| Memory: a gunicorn worker's peak RSS ≤100 MB over the long-tail run | {peak:.0f} MB"
            f" | {mark(peak <= 100)} |"
        )
    for row in data.get("memory", []):
        lines.append(
            f"| Memory, {row['name']}: ≤100 MB peak RSS of a fresh gunicorn worker serving it"
            f" | {row['peak_rss_mb']:.0f} MB (+{row['rss_growth_mb']:.1f} MB during the request)"
            f" | {mark(row['peak_rss_mb'] <= 100)} |"
        )
    return lines


def report(data):
    sizes = data["sizes"]
    largest, smallest = sizes[-1], sizes[0]
    m = data["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Produced by `bench/run.sh` (see bench/README.md) in one run; every ratio compares figures measured",
        "in that run. Server time is measured in-process (django.test.Client, DEBUG off), after a warm-up;",
        f"{data['reps']} timed repetitions per figure ({data['admin_reps']} for the admin changelist); the warm",
        f"figures from {WARM_ROUNDS} such series spread over the size's measurements, as a series of requests",
        "answered in half a millisecond lasts a moment, which the machine's background work can shift.",
        "",
        "Three figures per request, from the fastest path to the slowest:",
        "",
        "- p50 and p95 are warm, as for any request repeated until the next edit: a visitor's response",
        "  is served from the public response cache (dialogues_portal/response_cache.py).",
        "- `rendered p50`: the response cache off, the aggregate cache warm (dialogues/cache.py: a listing's",
        "  filter form with per-option counts, its result count, a search's ranked ids, page contents):",
        "  a URL not requested since the last edit, or any request of an editor. `queries` are this path's.",
        "- `cold p50`: every cache emptied before each repetition, as after a bulk import; an editor's save",
        "  drops only what read its kind of record (the tables of the first request after an edit).",
        "",
        "The first performance issue's targets (issue 7) are judged on the warm p50, as it allowed cached",
        "counts and aggregates, with the rendered and cold ratios beside each. Issue 18's targets follow in",
        "the same table: the rendered path, the first request after an edit, the admin, the long tail of",
        'URLs and memory; "Reading these figures" says where the time goes in each that is not met.',
        "",
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB memory",
        f"- PostgreSQL {m['postgresql']}, Python {m['python']}, Django {m['django']}",
        f"- Date: {m['date']}",
        f"- Sizes: {', '.join(f'{s["size"]:,}' for s in sizes)} synthetic projects (plus the real data)",
        "",
        "Floor: the same page's rows through psycopg, raw SQL (bench/floor.py). Admin: the Django admin",
        "changelist with the same filter, as a superuser. Deep page: the row in the middle of the table,",
        "reached by keyset (`?after=` on pages, `?cursor=` in the API; the admin by `?p=`).",
        "",
    ]
    for result in sizes:
        lines += [
            f"## {result['size']:,} projects",
            "",
            "| Request | p50 ms | p95 ms | rendered p50 ms | cold p50 ms | queries | floor p50 ms | x floor"
            " | rendered x floor | admin p50 ms | admin / this |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in result["results"]:
            if "floor_p50" in row:
                lines.append(
                    f"| {row['name']} | {row['p50']:.2f} | {row['p95']:.2f} | {row['rendered_p50']:.2f}"
                    f" | {row['cold_p50']:.2f} | {row['queries']} | {row['floor_p50']:.2f}"
                    f" | {row['p50'] / row['floor_p50']:.1f} | {row['rendered_p50'] / row['floor_p50']:.1f}"
                    f" | {row['admin_p50']:.1f} | {row['admin_p50'] / row['p50']:.1f} |"
                )
            else:
                lines.append(
                    f"| {row['name']} | {row['p50']:.2f} | {row['p95']:.2f} | {row['rendered_p50']:.2f}"
                    f" | {row['cold_p50']:.2f} | {row['queries']} | | | | | |"
                )
        lines.append("")
        for kind, index in result["search_index"].items():
            lines.append(
                f"Full-text search SQL, {kind} word (`q={index['text']}`, 50 rows): {index['with']:.2f} ms with"
                f" the GIN index, {index['without']:.1f} ms without: {index['ratio']:.0f}x."
            )
        if result.get("export"):
            export = result["export"]
            lines.append(
                f"CSV export (`{export['url']}`): {export['rows']:,} rows in {export['seconds']:.2f} s ="
                f" {export['rows_per_second']:,.0f} rows/s; peak RSS {export['peak_rss_mb']:.0f} MB"
                f" (+{export['rss_growth_mb']:.1f} MB during the export)."
            )
        if result.get("generation_seconds") is not None:
            lines.append(
                f"Synthetic generation up to this size: {result['generated']:,} projects added in"
                f" {result['generation_seconds']:.0f} s."
            )
        lines.append("")
        lines += admin_table(result)
        lines += after_edit_table(result)
    # targets
    by_name = {row["name"]: row for row in largest["results"]}
    small = {row["name"]: row for row in smallest["results"]}
    listing_names = [row["name"] for row in largest["results"] if "floor_p50" in row]
    lines += [f"## Targets at {largest['size']:,} projects", "", "| Target | Measured | |", "|---|---|---|"]
    # fixed = no more queries at the largest size than at the smallest (fewer is fine: the
    # per-option counts of a large listing are skipped)
    fixed = all(by_name[n]["queries"] <= small[n]["queries"] for n in by_name)
    counts = ", ".join(f"{n} {small[n]['queries']} → {by_name[n]['queries']}" for n in by_name)
    lines.append(
        f"| Fixed number of SQL queries per request (no more at {largest['size']:,} than at"
        f" {smallest['size']:,}) | {counts} | {mark(fixed)} |"
    )
    for name in listing_names:
        row = by_name[name]
        limit = 3 if name.startswith("API") else 6
        floor_ratio, admin_ratio = row["p50"] / row["floor_p50"], row["admin_p50"] / row["p50"]
        rendered_ratio, cold_ratio = row["rendered_p50"] / row["floor_p50"], row["cold_p50"] / row["floor_p50"]
        lines.append(
            f"| {name}: ≤{limit}x floor | {floor_ratio:.1f}x (rendered {rendered_ratio:.1f}x, cold {cold_ratio:.1f}x)"
            f" | {mark(floor_ratio <= limit)} |"
        )
        rendered_admin = row["admin_p50"] / row["rendered_p50"]
        lines.append(
            f"| {name}: ≥5x faster than the admin | {admin_ratio:.1f}x (rendered {rendered_admin:.1f}x)"
            f" | {mark(admin_ratio >= 5)} |"
        )
    for name in listing_names:
        scale = by_name[name]["p50"] / small[name]["p50"]
        rendered_scale = by_name[name]["rendered_p50"] / small[name]["rendered_p50"]
        cold_scale = by_name[name]["cold_p50"] / small[name]["cold_p50"]
        lines.append(
            f"| {name}: p50 at {largest['size']:,} ≤1.5x p50 at {smallest['size']:,} | {scale:.2f}x"
            f" ({small[name]['p50']:.2f} → {by_name[name]['p50']:.2f} ms; rendered {rendered_scale:.2f}x,"
            f" cold {cold_scale:.2f}x) | {mark(scale <= 1.5)} |"
        )
    index = largest["search_index"]["rare"]
    lines.append(
        f"| Full-text search ≥100x faster with the GIN index (rare word `{index['text']}`; common word"
        f" `{largest['search_index']['common']['text']}`: {largest['search_index']['common']['ratio']:.0f}x, only"
        f" the first 2,000 matches are ranked) | {index['ratio']:.0f}x | {mark(index['ratio'] >= 100)} |"
    )
    if largest.get("export"):
        export = largest["export"]
        lines.append(
            f"| CSV export ≥50,000 rows/s | {export['rows_per_second']:,.0f} rows/s ({export['rows']:,} rows)"
            f" | {mark(export['rows_per_second'] >= 50_000)} |"
        )
        lines.append(
            f"| CSV export peak memory <150 MB | {export['peak_rss_mb']:.0f} MB peak RSS of the process"
            f" | {mark(export['peak_rss_mb'] < 150)} |"
        )
    if data.get("throughput"):
        t = data["throughput"]
        p = t["portal"]
        lines.append(
            f"| Throughput ≥30% of the raw-SQL view, zero errors (wrk, 50 connections, {data['duration']} s)"
            f" | {load_figures(t)} | {mark(t['ratio'] >= 0.3 and p['errors'] == 0)} |"
        )
        if p.get("worker_peak_rss_mb"):
            lines.append(
                f"| Memory: a gunicorn worker's peak RSS ≤100 MB over the throughput run"
                f" | {p['worker_peak_rss_mb']:.0f} MB | {mark(p['worker_peak_rss_mb'] <= 100)} |"
            )
    lines += issue_18_targets(data, largest, smallest)
    total = sum(s.get("generation_seconds") or 0 for s in sizes)
    generated = sum(s.get("generated") or 0 for s in sizes)
    lines.append(
        f"| Synthetic generation of 1M projects <5 min | {generated:,} projects in {total:.0f} s"
        f" (in {len(sizes)} steps) | {mark(total < 300 and generated >= 1_000_000)} |"
    )
    lines += ["", data.get("notes", "").strip(), ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--admin-reps", type=int, default=5)
    parser.add_argument("--after-edit-reps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--duration", type=int, default=60, help="wrk seconds per server")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from bench/out/results.json")
    args = parser.parse_args()
    if args.export_child:
        return export_child(args.export_child)
    if args.report_only:
        data = json.loads((ROOT / "bench" / "out" / "results.json").read_text())
        notes = ROOT / "bench" / "notes.md"
        data["notes"] = notes.read_text() if notes.exists() else ""  # notes may be written after the run
        Path(args.output).write_text(report(data))
        return print(f"wrote {args.output}")
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(exist_ok=True)
    user_model = get_user_model()
    admin = user_model.objects.filter(username="bench").first() or user_model.objects.create_superuser(
        "bench", "bench@example.org", "bench-password-not-secret"
    )
    data = {"sizes": [], "reps": args.reps, "admin_reps": args.admin_reps, "duration": args.duration}
    notes = ROOT / "bench" / "notes.md"
    data["notes"] = notes.read_text() if notes.exists() else ""
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"== {size:,} projects")
        seconds, generated = grow_to(size)
        print(f"  generated {generated} in {seconds:.1f} s")
        result = measure_size(size, args, admin)
        result["generation_seconds"], result["generated"] = seconds, generated
        result["export"] = measure_export()
        data["sizes"].append(result)
        (out_dir / "results.json").write_text(json.dumps(data, default=str, indent=1))
    data["memory"] = measure_memory(data["sizes"][-1], out_dir)
    if not args.no_throughput:
        from long_tail import measure_long_tail

        data["throughput"] = measure_throughput(data["sizes"][-1], args.duration, out_dir)
        data["long_tail"] = measure_long_tail(args.duration, out_dir)
    data["machine"] = machine()
    (out_dir / "results.json").write_text(json.dumps(data, default=str, indent=1))
    Path(args.output).write_text(report(data))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
