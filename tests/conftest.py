import os
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from core.cache import local_copies
from news.templatetags.news import kept_cards, kept_fragments
from tests.caching import redis_cache, require_redis


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache, no page, card or fragment kept by this
    process (an earlier test's rows may have had the same ids and times), the default
    edition active."""
    cache.clear()
    local_copies.clear()
    kept_cards.clear()
    kept_fragments.clear()
    translation.activate("en")
    yield
    cache.clear()
    local_copies.clear()
    kept_cards.clear()
    kept_fragments.clear()
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def reads_from_the_primary(request, settings):
    """With DATABASE_REPLICA_URL set (CI's PostgreSQL pass), only tests that ask for
    the `replica` fixture (tests/test_replica.py) route reads to the replica; the
    others read what they have just written, as they would without a replica."""
    if "replica" in settings.DATABASES and "replica" not in request.fixturenames:
        settings.DATABASE_ROUTERS = []


@pytest.fixture(params=["files", "redis"])
def each_cache(request, settings):
    """Runs the test on the default cache (files every process shares) and on Redis."""
    if request.param == "redis":
        require_redis()
        settings.CACHES = redis_cache()
    cache.clear()
    yield request.param
    cache.clear()


# Skips CI accepts, by reason: tests of what only PostgreSQL has, on the SQLite pass.
# Any other skip fails the run where FAIL_ON_SKIP is set (.ci/run): a test that
# cannot run there is a promise nobody checks.
ALLOWED_SKIPS = (
    # The replica tests need PostgreSQL; on its pass REQUIRE_REPLICA=1 fails them instead.
    "DATABASE_REPLICA_URL is not set",
    "SQLite serialises writers",
    "word forms and ranking are PostgreSQL's",
    "GIN indexes are PostgreSQL's",
    "index-only scans are PostgreSQL's",
    "prepared statements are PostgreSQL's",
    "JIT compilation is PostgreSQL's",
    "the health check without a round trip is PostgreSQL's",
)
_unexpected_skips = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if not any(allowed in reason for allowed in ALLOWED_SKIPS):
            _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    required = os.environ.get("FAIL_ON_SKIP", "").lower() in ("1", "true", "yes", "on")
    if required and _unexpected_skips and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    required = os.environ.get("FAIL_ON_SKIP", "").lower() in ("1", "true", "yes", "on")
    if required and _unexpected_skips:
        terminalreporter.section("skipped outside ALLOWED_SKIPS (FAIL_ON_SKIP is set)", red=True)
        for line in _unexpected_skips:
            terminalreporter.line(line)


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's base URL (browser tests, and any test that sends it requests);
    the data builders write to the database it reads."""
    gate = gate_of(live_server)
    gate.open(one_at_a_time=connection.vendor == "sqlite" and connection.is_in_memory_db())
    yield live_server.url
    # Pages are closed by now, but a heartbeat, autosave or view count they sent may
    # still be running or queued: it must not write while the test's tables are emptied
    # (on PostgreSQL its row lock and the TRUNCATE's table lock deadlock).
    gate.close()


class GatedApp:
    """A WSGI app that answers no request once the test is over, and whose close waits
    for the requests in progress.

    One at a time on in-memory SQLite: there the live server's threads share the test's
    one connection, so two pages' requests at once (two editors' heartbeats and
    autosaves) can meet inside one transaction ("cannot start a transaction within a
    transaction"). Production never shares a connection between threads."""

    def __init__(self, app):
        self.app = app
        self.state = threading.Condition()
        self.in_progress = 0
        self.closed = True
        self.one_at_a_time = False
        self.turn = threading.Lock()

    def __call__(self, environ, start_response):
        with self.state:
            if self.closed:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"The test is over.\n"]
            self.in_progress += 1
        try:
            if self.one_at_a_time:
                with self.turn:
                    return self.whole_response(environ, start_response)
            return self.whole_response(environ, start_response)
        finally:
            with self.state:
                self.in_progress -= 1
                self.state.notify_all()

    def whole_response(self, environ, start_response):
        # Read and closed inside the gate: closing a response ends the request
        # (request_finished closes its database connection), which must not happen
        # once the test's database is gone.
        response = self.app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    def open(self, one_at_a_time):
        with self.state:
            self.closed = False
            self.one_at_a_time = one_at_a_time

    def close(self):
        with self.state:
            self.closed = True
            self.state.wait_for(lambda: self.in_progress == 0)


def gate_of(live_server):
    httpd = live_server.thread.httpd
    if not isinstance(httpd.get_app(), GatedApp):
        httpd.set_app(GatedApp(httpd.get_app()))
    return httpd.get_app()
