"""Helpers for tests of the page cache: warm a page and prove it is warm."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url, **headers):
    """(response, number of database queries it took)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def warm(client, url):
    """Request `url` until it comes from the cache; fails if it never does.

    A test of invalidation must start from a cached page, or it passes whether
    the change invalidates or not.
    """
    first = client.get(url)
    assert first.status_code == 200, url
    response, queries = queries_for(client, url)
    assert queries == 0, f"{url} is not served from the cache ({queries} queries)"
    return response.content.decode()


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")


def redis_cache(url=REDIS_TEST_URL):
    return {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "portal-tests",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def redis_required():
    return os.environ.get("REQUIRE_REDIS", "").lower() in ("1", "true", "yes", "on")


def require_redis():
    """Skip for want of Redis on a developer's machine; fail where REQUIRE_REDIS is set (CI)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        reason = f"no Redis server at REDIS_TEST_URL={REDIS_TEST_URL} ({error})"
        if redis_required():
            pytest.fail(f"{reason}; REQUIRE_REDIS is set, so this is a failure", pytrace=False)
        pytest.skip(reason)
