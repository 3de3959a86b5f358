"""Load-test the production profile: gunicorn + PostgreSQL + Redis, driven by wrk.

Every figure is reported beside `/healthz` (a view that touches neither database
nor template) measured in the same run, as a ratio: absolute figures on a shared
machine are noise. Two servers run side by side, one as in production and one
with the page cache off (`PAGE_CACHE_SECONDS=0`), so that the pages a crawler or
a shared link reaches (rendered, not cached) are measured as well as cached ones.
The cases run in interleaved rounds and each figure is the median of the rounds.
The machine's speed drifts over a round's minutes, so each case's ratio is taken to
the trivial view measured just before and just after it (their mean).

Then a crawler spike (256 connections over thousands of distinct articles on the
production profile, cache emptied first) and, in-process, what crawlers and
editors hit besides reader pages: sitemaps, feeds and the admin's article list.
"""

import cProfile
import math
import os
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.cache import bump_labels_generation
from core.warmup import warm_up
from news.models import Article, Author, Category, StoredCensus, Tag
from news.views import PAGE_SIZE

# Each of wrk's threads walks the list from its own share of it. (It began at
# math.random(#paths), which wrk never seeds: every run and every thread started at one
# same place, and the threads asked for the same pages at the same time.)
WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local threads = tonumber(os.getenv("BENCH_THREADS"))
local made = 0
function setup(thread)
  made = made + 1
  thread:set("number", made)
end
local counter
function init(args)
  counter = math.floor((number - 1) * #paths / threads)
end
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
"""
SEARCH_WORDS = [
    "parliament",
    "senate",
    "budget",
    "energy",
    "railways",
    "tourism",
    "housing",
    "water",
]
PRODUCTION, UNCACHED = "production", "uncached"
TRIVIAL = "trivial (/healthz)"


def parse_wrk(output):
    """Requests/s, p50 and p99 in ms, non-2xx/3xx answers and socket errors from `wrk --latency`."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        value, unit = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    connect, read, write, timeouts = map(int, sockets.groups()) if sockets else (0, 0, 0, 0)
    return {
        "rps": rps,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": connect + read + write,
        "timeouts": timeouts,
    }


class Command(BaseCommand):
    help = "Benchmark reader pages under gunicorn with wrk (needs PostgreSQL, Redis and wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds per case at -c16")
        parser.add_argument(
            "--latency-duration", type=int, default=4, help="seconds per case at -c1"
        )
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
        parser.add_argument(
            "--crawler-workers", type=int, default=4, help="gunicorn workers for the crawler spike"
        )
        parser.add_argument("--crawler-connections", type=int, default=256)
        parser.add_argument("--crawler-duration", type=int, default=60)
        parser.add_argument("--port", type=int, default=8765, help="first of three ports")
        parser.add_argument(
            "--urls", type=int, default=5000, help="distinct article URLs (rendered and crawler)"
        )
        parser.add_argument(
            "--only",
            choices=["pages", "crawler", "in-process", "profile"],
            action="append",
            help="run only these parts (default: all)",
        )

    def handle(self, *args, **options):
        for name in ("duration", "latency_duration", "connections", "rounds", "workers", "urls"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed (Debian: apt-get install wrk).")
        if connection.vendor != "postgresql":
            raise CommandError("benchmark the production profile: set DATABASE_URL to PostgreSQL.")
        if not settings.REDIS_URL:
            raise CommandError("benchmark the production profile: set REDIS_URL.")
        if settings.DEBUG:
            raise CommandError("benchmark with DEBUG off.")
        parts = set(options["only"] or ["pages", "crawler", "in-process", "profile"])
        urls = self.urls(options["urls"])
        self.stdout.write(
            f"{Article.objects.count()} articles; {options['workers']} gunicorn workers per "
            f"server; wrk -c{options['connections']} for {options['duration']} s and -c1 for "
            f"{options['latency_duration']} s per case, {options['rounds']} interleaved rounds"
        )
        with tempfile.TemporaryDirectory() as tmp:
            self.tmp = Path(tmp)
            Path(tmp, "paths.lua").write_text(WRK_SCRIPT)
            if "pages" in parts:
                self.pages(urls, options)
            if "crawler" in parts:
                self.crawler(urls, options)
        if "in-process" in parts:
            self.in_process()
        if "profile" in parts:
            self.profile(urls["article"][:20])

    # Reader pages under load

    def cases(self, urls):
        """(name, server, paths, cache): the cases of one round, in the order they run.

        cache: "cold" empties the cache first, "warm" requests every path once first,
        "whole" forgets the articles' kept parts (news.article_parts), None leaves it as
        the previous case left it.

        An article rendered without the page cache, as after a publication elsewhere,
        still has its own parts kept: its rendered case starts from them. Rendered whole
        is the article as it is first read after its own save (or a rename of a tag, an
        author or a category, or a deploy), a case of its own.

        A listing rendered without the page cache still keeps its subject and its pages
        until the subject's next publication (news.views.SubjectListView): its rendered
        cases start from them, as a running site does, not from whatever the previous
        round's cold cases left. Reading them afresh is what the cold cases measure.
        """
        return [
            (
                f"article, rendered, {len(urls['article'])} URLs",
                UNCACHED,
                urls["article"],
                "warm",
            ),
            (
                f"article, rendered whole, {len(urls['article'])} URLs",
                UNCACHED,
                urls["article"],
                "whole",
            ),
            ("article, rendered, one URL", UNCACHED, urls["article"][:1], None),
            ("home, rendered", UNCACHED, ["/en/"], "warm"),
            (
                f"category, rendered, {len(urls['category'])} URLs",
                UNCACHED,
                urls["category"],
                "warm",
            ),
            (f"tag, rendered, {len(urls['tag'])} URLs", UNCACHED, urls["tag"], "warm"),
            (f"author, rendered, {len(urls['author'])} URLs", UNCACHED, urls["author"], "warm"),
            # Rendered: search pages are page-cached since, so a cold case is mostly hits.
            (f"search, rendered, {len(urls['search'])} queries", UNCACHED, urls["search"], None),
            (
                f"search, rendered, {len(SEARCH_WORDS)} single common words",
                UNCACHED,
                [f"/en/search/?q={word}" for word in SEARCH_WORDS],
                None,
            ),
            (f"search, cold, {len(urls['search'])} queries", PRODUCTION, urls["search"], "cold"),
            ("search, warm, 8 queries", PRODUCTION, urls["search"][:8], "warm"),
            ("article, cold cache", PRODUCTION, urls["article"], "cold"),
            ("category, cold cache", PRODUCTION, urls["category"], "cold"),
            ("tag, cold cache", PRODUCTION, urls["tag"], "cold"),
            ("author, cold cache", PRODUCTION, urls["author"], "cold"),
            ("home, cached", PRODUCTION, ["/en/"], "warm"),
            ("article, cached, 400 URLs", PRODUCTION, urls["article"][:400], "warm"),
            ("category, cached", PRODUCTION, urls["category"][:100], "warm"),
            ("tag, cached", PRODUCTION, urls["tag"][:100], "warm"),
            ("author, cached", PRODUCTION, urls["author"][:100], "warm"),
        ]

    def pages(self, urls, options):
        port = options["port"]
        servers = {
            PRODUCTION: self.start_gunicorn(port, options["workers"], {}),
            UNCACHED: self.start_gunicorn(
                port + 1, options["workers"], {"PAGE_CACHE_SECONDS": "0"}
            ),
        }
        ports = {PRODUCTION: port, UNCACHED: port + 1}
        results = {}
        try:
            # A worker's first requests load translations and compile templates: not measured.
            self.warm_up(ports[PRODUCTION], ["/healthz"] * 8)
            for _name, server, paths, _state in self.cases(urls):
                self.warm_up(ports[server], paths[:4] * 2)
            for round_number in range(options["rounds"]):
                self.stdout.write(f"round {round_number + 1} of {options['rounds']}…")
                # The trivial view brackets every case: measured before the first, then
                # after each (the next case's "before").
                before = self.measure_trivial(ports[PRODUCTION], options, results, latency=True)
                for name, server, paths, state in self.cases(urls):
                    self.stderr.write(f"  {name}")
                    self.prepare(state, ports[server], paths)
                    load = self.run_wrk(
                        paths, ports[server], options["duration"], options["connections"]
                    )
                    # Again: the load left a warm cache, or the parts kept.
                    self.prepare(state, ports[server], paths)
                    single = self.run_wrk(paths, ports[server], options["latency_duration"], 1)
                    after = self.measure_trivial(ports[PRODUCTION], options, results)
                    trivial = (before["rps"] + after["rps"]) / 2
                    results.setdefault(name, []).append((load, single, load["rps"] / trivial))
                    before = after
            memory = {kind: self.worker_memory(server.pid) for kind, server in servers.items()}
        finally:
            for server in servers.values():
                server.send_signal(signal.SIGTERM)
            for server in servers.values():
                server.wait(timeout=30)
        self.report_pages(results, memory, options["connections"])

    def measure_trivial(self, port, options, results, latency=False):
        """/healthz at full load (and at -c1 if `latency`), recorded as the trivial row."""
        load = self.run_wrk(["/healthz"], port, options["duration"], options["connections"])
        single = None
        if latency:
            single = self.run_wrk(["/healthz"], port, options["latency_duration"], 1)
        results.setdefault(TRIVIAL, []).append((load, single, 1.0))
        return load

    def report_pages(self, results, memory, connections):
        median = lambda runs, index, key: statistics.median(  # noqa: E731
            run[index][key] for run in runs if run[index] is not None
        )
        self.stdout.write(
            f"\n| case | req/s (c{connections}) | p50 ms | p99 ms | one request (c1) ms "
            "| × trivial | errors |\n|---|---:|---:|---:|---:|---:|---:|"
        )
        for name, runs in results.items():
            rps = median(runs, 0, "rps")
            errors = sum(
                run[index][key]
                for run in runs
                for index in (0, 1)
                if run[index] is not None
                for key in ("non_2xx", "socket_errors", "timeouts")
            )
            self.stdout.write(
                f"| {name} | {rps:,.0f} | {median(runs, 0, 'p50'):.1f} "
                f"| {median(runs, 0, 'p99'):.1f} | {median(runs, 1, 'p50'):.2f} "
                f"| {statistics.median(run[2] for run in runs):.3f} | {errors} |"
            )
        for kind, sizes in memory.items():
            self.stdout.write(
                f"gunicorn worker memory, {kind} (MB): " + ", ".join(f"{s:.0f}" for s in sizes)
            )

    def crawler(self, urls, options):
        """Many connections walking distinct articles at once, the cache emptied first."""
        port = options["port"] + 2
        server = self.start_gunicorn(port, options["crawler_workers"], {})
        try:
            cache.clear()
            result = self.run_wrk(
                urls["article"],
                port,
                options["crawler_duration"],
                options["crawler_connections"],
            )
            memory = self.worker_memory(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        self.stdout.write(
            f"\ncrawler spike: wrk -c{options['crawler_connections']} for "
            f"{options['crawler_duration']} s over {len(urls['article'])} articles, "
            f"{options['crawler_workers']} workers: {result['rps']:,.0f} pages/s, "
            f"p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms, "
            f"{result['non_2xx']} non-2xx, {result['socket_errors']} socket errors, "
            f"{result['timeouts']} timeouts (2 s); worker memory (MB): "
            + ", ".join(f"{s:.0f}" for s in memory)
        )

    # What crawlers and editors hit besides reader pages, timed in-process

    def in_process(self):
        """Sitemaps, feeds and the admin's article list: one request each, median of three."""
        reader = Client()
        editor = Client()
        user = (
            get_user_model()
            .objects.filter(is_staff=True, is_active=True)
            .order_by("-is_superuser", "pk")
            .first()
        )
        if user is None:
            raise CommandError("no staff user: run `manage.py create_demo_editor` first.")
        editor.force_login(user)
        sitemap_pages = self.sitemap_pages(reader)
        cases = [
            # Counted afresh: the first render ever, or after a change saves cannot show.
            ("/sitemap.xml (index, census counted)", reader, "/sitemap.xml", self.forget_census),
            # A restart of the cache: the census stored in the database is read instead.
            ("/sitemap.xml (index, cache emptied)", reader, "/sitemap.xml"),
            # What follows most renders: a change readers see, the census kept.
            ("/sitemap.xml (index, after a save)", reader, "/sitemap.xml", self.save_newest),
        ]
        cases += [(f"{path} (sitemap page)", reader, path) for path in sitemap_pages]
        cases += [
            ("/news-sitemap.xml", reader, "/news-sitemap.xml"),
            ("/en/rss/", reader, "/en/rss/"),
            ("/kk-arab/rss/", reader, "/kk-arab/rss/"),
            ("admin article list", editor, "/en/admin/news/article/"),
            ("admin search ?q=senate", editor, "/en/admin/news/article/?q=senate"),
            ("admin search ?q=Сенат", editor, "/ru/admin/news/article/?q=Сенат"),
            ("admin change form", editor, None),
        ]
        newest = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.stdout.write(
            "\n| URL | rendered ms | queries | again ms | conditional again | status |"
            "\n|---|---:|---:|---:|---:|---:|"
        )
        for name, client, path, *prepare in cases:
            path = path or f"/en/admin/news/article/{newest}/change/"
            rendered = []
            if prepare:
                client.get(path)
            for _attempt in range(3):
                if prepare:
                    prepare[0]()
                else:
                    cache.clear()  # rendered, not served from a cache
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path)
                    rendered.append((time.perf_counter() - started) * 1000)
                # Read now: the next request's request_started signal empties the log.
                query_count = len(queries)
            started = time.perf_counter()
            client.get(path)
            again = (time.perf_counter() - started) * 1000
            validators = {
                header: response[name]
                for name, header in (
                    ("ETag", "HTTP_IF_NONE_MATCH"),
                    ("Last-Modified", "HTTP_IF_MODIFIED_SINCE"),
                )
                if response.has_header(name)
            }
            conditional = client.get(path, **validators).status_code if validators else "-"
            self.stdout.write(
                f"| {name} | {statistics.median(rendered):,.0f} | {query_count} | {again:,.0f} "
                f"| {conditional} | {response.status_code} |"
            )

    @staticmethod
    def forget_census():
        """Nothing kept of the sitemap index's census, in the cache or the database."""
        StoredCensus.objects.all().delete()
        cache.clear()

    @staticmethod
    def save_newest():
        """Save the newest published article as an editor would: a new content generation
        (nothing rendered before is served) and a new version of its sitemap page."""
        Article.objects.published().order_by("-pk").first().save()

    def profile(self, paths):
        """Where a rendered article's time goes: cProfile over distinct articles, the page
        cache off (fragment caches stay as in production), this project's functions only."""
        client = Client()
        settings.PAGE_CACHE_SECONDS = 0
        # As a gunicorn worker starts: forked from a master that ran the warm-up.
        warm_up()
        client.get(paths[0])  # and its connections opened
        profiler = cProfile.Profile()
        timings, query_counts = [], []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                profiler.enable()
                client.get(path)
                profiler.disable()
                timings.append((time.perf_counter() - started) * 1000)
            query_counts.append(len(queries))
        self.stdout.write(
            f"\nrendered article, in-process, {len(paths)} articles: median "
            f"{statistics.median(timings):.1f} ms, {max(query_counts)} queries at most; "
            "cumulative time per function, this project's code:"
        )
        own_code = re.escape(str(settings.BASE_DIR)) + "/(?!\\.venv)"
        stats = pstats.Stats(profiler, stream=self.stdout._out)
        stats.sort_stats("cumulative").print_stats(own_code, 15)

    def sitemap_pages(self, client):
        """The first, a middle and the last page of the English articles' sitemap."""
        index = client.get("/sitemap.xml").content.decode()
        pages = sorted(
            {
                int(number or 1)
                for number in re.findall(r"/sitemap-articles-en\.xml(?:\?p=(\d+))?<", index)
            }
        )
        if not pages:
            return []
        chosen = sorted({pages[0], pages[len(pages) // 2], pages[-1]})
        return [f"/sitemap-articles-en.xml?p={page}" for page in chosen]

    # Helpers

    def urls(self, limit):
        """Distinct URLs per page type, so that the cold cases miss on every request."""
        articles = list(
            Article.objects.for_readers("en")
            .order_by("-published_at")
            .values_list("pk", "slug")[:limit]
        )
        subjects = {
            "category": self.pages_of(Category, "category"),
            "tag": self.pages_of(Tag, "tags"),
            "author": self.pages_of(Author, "authors"),
        }
        if not (articles and all(subjects.values())):
            raise CommandError(
                "no content: run `manage.py load_demo` and `generate_articles` first."
            )
        return {
            "article": [f"/en/article/{pk}-{slug}/" for pk, slug in articles],
            **subjects,
            "search": [f"/en/search/?q={w}+{n}" for n in range(50) for w in SEARCH_WORDS],
        }

    def pages_of(self, model, field, limit=400, deepest=20):
        """Up to `limit` URLs of the listing pages that exist, page 1 of every subject
        first, then page 2 of each, and so on down to page `deepest`."""
        pages = {}
        for slug in model.objects.in_edition("en").values_list("slug", flat=True):
            count = (
                Article.objects.for_readers("en")
                .filter(**{f"{field}__slug": slug})[: PAGE_SIZE * deepest]
                .count()
            )
            pages[slug] = math.ceil(count / PAGE_SIZE)
        prefix = model._meta.model_name
        urls = [
            f"/en/{prefix}/{slug}/?page={page}"
            for page in range(1, deepest + 1)
            for slug, last in pages.items()
            if page <= last
        ]
        return urls[:limit]

    def start_gunicorn(self, port, workers, environment):
        env = {
            **os.environ,
            **environment,
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "portal/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "portal.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
        )  # fmt: skip
        # Listening is not serving: wait until a worker has loaded Django and answers.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    return server
            except OSError:
                time.sleep(0.3)
        server.kill()
        raise CommandError(f"gunicorn did not answer on port {port} within 60 seconds")

    def prepare(self, state, port, paths):
        """Leave the cache as a case's `state` says (see cases)."""
        if state == "cold":
            cache.clear()
        elif state == "warm":
            self.warm_up(port, paths)
        elif state == "whole":
            bump_labels_generation()

    def warm_up(self, port, paths):
        """Request every URL once, so that a warm case measures cached pages."""

        def fetch(path):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
                response.read()

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(fetch, paths))

    def run_wrk(self, paths, port, duration, connections):
        path_file = self.tmp / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        threads = min(connections, 2)
        result = subprocess.run(
            ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
             "--timeout", "2s", "-s", str(self.tmp / "paths.lua"), f"http://127.0.0.1:{port}"],
            env={**os.environ, "BENCH_PATHS": str(path_file), "BENCH_THREADS": str(threads)},
            capture_output=True,
            text=True,
            check=True,
        )  # fmt: skip
        return parse_wrk(result.stdout)

    def worker_memory(self, master_pid):
        """Resident memory of each gunicorn worker, in MB."""
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
        return sizes
