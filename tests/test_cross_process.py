"""Several processes, one truth: a real gunicorn with two workers and separate
`manage.py` processes, on the default cache (shared files) and on Redis.

After a fetch run by cron (its own process) or an admin save that one worker
handled, the next request to every worker shows the change. Workers are told
apart by gunicorn's access log, which records the process id of each request.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.caching import REDIS_TEST_URL, require_redis
from tests.widget_server import Answer, SampleServer, sample

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = 2


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """A throwaway database, cache and gunicorn, driven over HTTP like production."""

    def __init__(self, tmp_path, redis_url=""):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "access.log"
        # A SQLite site of its own: no read replica (CI's streams another database).
        inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
        self.env = {
            **inherited,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CACHE_DIR": str(tmp_path / "cache"),
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"cross-{self.port}",
            "SITE_URL": self.base,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR",
        }
        self.server = None

    def manage(self, *args, **env):
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self, *options):
        self.manage("migrate", "--noinput")
        self.manage("shell", "-c", SETUP)
        self.server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "portal/gunicorn.conf.py",
                *options,
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                str(self.log),
                "--access-logformat",
                "%(p)s %(r)s %(s)s",
                "portal.wsgi",
            ],  # fmt: skip
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)
        if self.env["REDIS_URL"]:
            import redis

            client = redis.Redis.from_url(self.env["REDIS_URL"])
            for key in client.scan_iter(f"{self.env['CACHE_KEY_PREFIX']}:*"):
                client.delete(key)

    def log_lines(self):
        return self.log.read_text().splitlines() if self.log.exists() else []

    def get_from_each_worker(self, path, opener=None):
        """{worker pid: [page, …]} of fresh connections until every worker answered twice."""
        opener = opener or urllib.request.build_opener()
        pages = {}
        # Time, not a number of tries: on a loaded machine a worker may take a while to
        # boot, and until then the others take every connection.
        give_up = time.monotonic() + 90
        while time.monotonic() < give_up:
            seen = len(self.log_lines())
            html = opener.open(self.base + path, timeout=10).read().decode()
            deadline = time.monotonic() + 5
            while len(self.log_lines()) <= seen and time.monotonic() < deadline:
                time.sleep(0.01)  # gunicorn writes the line after the response
            pid = self.log_lines()[seen].split()[0]
            pages.setdefault(pid, []).append(html)
            if len(pages) == WORKERS and all(len(p) >= 2 for p in pages.values()):
                return pages
        raise AssertionError(f"not every worker answered: {list(pages)}")


SETUP = """
from django.contrib.auth.models import User
from news.models import SiteSettings
from tests.builders import make_article
make_article("Cross process")
SiteSettings.current()
User.objects.create_superuser("boss", "boss@example.com", "a long test password 42")
"""


@pytest.fixture(params=["files", "redis"])
def site(request, tmp_path):
    redis_url = ""
    if request.param == "redis":
        require_redis()
        redis_url = REDIS_TEST_URL
    site = Site(tmp_path, redis_url)
    try:
        site.start()
        yield site
    finally:
        site.stop()


def signed_in(site):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = site.base + "/en/admin/login/"
    form = opener.open(login).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = {"csrfmiddlewaretoken": token, "username": "boss"}
    data["password"] = "a long test password 42"
    data["next"] = "/en/admin/"
    opener.open(urllib.request.Request(login, urllib.parse.urlencode(data).encode()))
    assert any(cookie.name == "sessionid" for cookie in jar)
    return opener


@pytest.mark.django_db
def test_a_fetch_and_an_admin_save_show_on_every_worker(site):
    for pages in site.get_from_each_worker("/en/").values():
        assert all("usd/kzt" not in html and "Cross process" in html for html in pages)

    # cron: fetch_rates in a process of its own
    with SampleServer() as server:
        feed = server.answer("/rss", Answer(sample("nbk_rates_all.xml")))
        site.manage("fetch_rates", RATES_FEED_URL=feed, WIDGETS_HTTP_RETRIES="0")
    for pages in site.get_from_each_worker("/en/").values():
        for html in pages:
            assert '<bdi class="rate" dir="ltr">447.9</bdi>' in html

    # an editor's save, handled by whichever worker
    editor = signed_in(site)
    change = site.base + "/en/admin/news/sitesettings/1/change/"
    form = editor.open(change).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "phone": "+7 717 200 00 00"})
    saved = editor.open(urllib.request.Request(change, body.encode()))
    assert saved.url.endswith("/en/admin/news/sitesettings/")
    for pages in site.get_from_each_worker("/en/").values():
        for html in pages:
            assert "+7 717 200 00 00" in html
            assert "+7 701 759 90 19" not in html


@pytest.mark.django_db
def test_workers_recycled_from_the_loaded_master_serve_the_same_pages(tmp_path):
    """gunicorn forks each worker from a master that loaded the project once
    (preload_app): workers recycled every few requests must not share the master's
    database or cache connections, and serve every page whole."""
    require_redis()
    site = Site(tmp_path, REDIS_TEST_URL)
    try:
        site.start("--max-requests", "3", "--max-requests-jitter", "0")
        pids = set()
        for path in ["/en/", "/en/search/?q=cross", "/en/no-such-page/"] * 8:
            seen = len(site.log_lines())
            try:
                with urllib.request.urlopen(site.base + path, timeout=10) as response:
                    status, html = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, html = error.code, error.read().decode()
            assert status == (404 if "no-such" in path else 200), (path, status)
            assert "Kazinform" in html and "</html>" in html
            deadline = time.monotonic() + 5
            while len(site.log_lines()) <= seen and time.monotonic() < deadline:
                time.sleep(0.01)
            pids.add(site.log_lines()[seen].split()[0])
        assert len(pids) > WORKERS + 2  # workers were recycled along the way
    finally:
        site.stop()
