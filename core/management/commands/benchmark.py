"""Load-test the production profile: gunicorn + PostgreSQL + Redis, driven by wrk.

For each page (home, category, article, tag, search) and a trivial view in the
same run, prints requests per second, p50 and p99 latency and the page's
throughput as a share of the trivial view's, cold (cache emptied, every
request a different URL) and warm (the same URLs again), and the memory of
each gunicorn worker.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from news.models import Article, Category, Tag

WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
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


def parse_wrk(output):
    """Requests/s, p50 and p99 in milliseconds from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        value, unit = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, percentile("50"), percentile("99"), int(errors.group(1)) if errors else 0


class Command(BaseCommand):
    help = "Benchmark reader pages under gunicorn with wrk (needs PostgreSQL, Redis and wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds per page and phase")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--urls", type=int, default=400, help="distinct URLs per page type (cold phase)"
        )

    def handle(self, *args, duration, connections, workers, port, urls, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed (Debian: apt-get install wrk).")
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("benchmark the production profile: set DATABASE_URL to PostgreSQL.")
        if not settings.REDIS_URL:
            raise CommandError("benchmark the production profile: set REDIS_URL.")
        if settings.DEBUG:
            raise CommandError("benchmark with DEBUG off.")
        pages = self.page_urls(urls)
        count = Article.objects.count()
        self.stdout.write(
            f"{count} articles; {workers} gunicorn workers; wrk {connections} connections"
        )

        server = self.start_gunicorn(port, workers)
        try:
            results = {}
            with tempfile.TemporaryDirectory() as tmp:
                script = Path(tmp, "paths.lua")
                script.write_text(WRK_SCRIPT)
                for phase in ("cold", "warm"):
                    for name, paths in pages.items():
                        if phase == "cold":
                            cache.clear()
                        else:
                            self.warm_up(port, paths)
                        path_file = Path(tmp, f"{name}.txt")
                        path_file.write_text("\n".join(paths) + "\n")
                        results[phase, name] = self.run_wrk(
                            script, path_file, port, duration, connections
                        )
            memory = self.worker_memory(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        self.report(results, pages, memory)

    def page_urls(self, limit):
        """Distinct URLs per page type, so that a cold run misses the cache on every request."""
        articles = list(
            Article.objects.for_readers("en")
            .order_by("-published_at")
            .values_list("pk", "slug")[:limit]
        )
        categories = list(Category.objects.in_edition("en").values_list("slug", flat=True))
        tags = list(Tag.objects.in_edition("en").values_list("slug", flat=True))
        if not (articles and categories and tags):
            raise CommandError(
                "no content: run `manage.py load_demo` and `generate_articles` first."
            )
        spread = lambda slugs, prefix: [  # noqa: E731 - a one-line helper reads best here
            f"/en/{prefix}/{slugs[i % len(slugs)]}/?page={1 + i // len(slugs)}"
            for i in range(min(limit, len(slugs) * 20))
        ]
        return {
            "trivial": ["/healthz"],
            "home": ["/en/"],
            "category": spread(categories, "category"),
            "article": [f"/en/article/{pk}-{slug}/" for pk, slug in articles],
            "tag": spread(tags, "tag"),
            "search": [f"/en/search/?q={w}+{n}" for n in range(limit // 8) for w in SEARCH_WORDS][
                :limit
            ],
        }

    def start_gunicorn(self, port, workers):
        env = {**os.environ, "WEB_CONCURRENCY": str(workers), "GUNICORN_ACCESS_LOG": "/dev/null"}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "portal/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "portal.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return server
            except OSError:
                time.sleep(0.3)
        server.kill()
        raise CommandError("gunicorn did not start within 30 seconds")

    def warm_up(self, port, paths):
        """Request every URL once, so that the warm phase measures cached pages."""

        def fetch(path):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
                response.read()

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(fetch, paths))

    def run_wrk(self, script, path_file, port, duration, connections):
        result = subprocess.run(
            ["wrk", "--latency", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s",
             "-s", str(script), f"http://127.0.0.1:{port}"],
            env={**os.environ, "BENCH_PATHS": str(path_file)},
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

    def report(self, results, pages, memory):
        self.stdout.write(
            f"{'page':<10}{'phase':<6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'× trivial':>11}{'non-2xx':>9}"
        )
        for (phase, name), (rps, p50, p99, errors) in results.items():
            share = rps / results[phase, "trivial"][0]
            self.stdout.write(
                f"{name:<10}{phase:<6}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{share:>11.2f}{errors:>9}"
            )
        self.stdout.write(
            "gunicorn worker memory (MB): " + ", ".join(f"{size:.0f}" for size in memory)
        )
