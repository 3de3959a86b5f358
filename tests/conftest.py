import os

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.caching import redis_cache, require_redis


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache and the default edition active."""
    cache.clear()
    translation.activate("en")
    yield
    cache.clear()
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
