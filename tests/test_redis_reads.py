"""Reads of several keys from Redis (a page-cache hit's one MGET) go on a connection each
thread keeps for itself (core.redis_cache): the same answers as Django's backend, and a
Redis that restarted or went away is no different to the caller."""

import threading

import pytest
import redis
from django.core.cache import cache

from core import cache as caching
from tests.builders import make_article
from tests.caching import REDIS_TEST_URL, queries_for, redis_cache, require_redis, warm


@pytest.fixture
def on_redis(settings):
    require_redis()
    settings.CACHES = redis_cache()
    cache.clear()
    yield cache
    cache.clear()


def own_connection_of_this_thread():
    return cache._cache._own_connection()[0]


def test_reads_answer_as_djangos_backend_does(on_redis):
    values = {"number": 12, "big": 2**70, "text": "Сенат", "page": (1, 200, [], b"<html>")}
    cache.set_many(values, 60)
    keys = [*values, "missing"]
    assert cache.get_many(keys) == values
    assert cache.get("page") == values["page"]  # the client's own way agrees
    assert cache.get_many([]) == {}


def test_a_thread_reads_on_a_connection_of_its_own(on_redis):
    cache.set("key", 1, 60)
    assert cache.get_many(["key"]) == {"key": 1}
    mine = own_connection_of_this_thread()
    seen = {}

    def other_thread():
        seen["values"] = cache.get_many(["key"])
        seen["connection"] = own_connection_of_this_thread()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen["values"] == {"key": 1}
    assert seen["connection"] is not mine
    assert own_connection_of_this_thread() is mine  # kept between reads


def test_a_connection_redis_dropped_is_made_again_without_an_error(on_redis):
    cache.set("key", "value", 60)
    assert cache.get_many(["key"]) == {"key": "value"}
    dropped = drop_the_kept_connection()

    assert cache.get_many(["key"]) == {"key": "value"}
    assert client_id(own_connection_of_this_thread()) != dropped  # a new connection


@pytest.mark.django_db
def test_a_hit_is_served_after_redis_dropped_the_workers_connection(client, on_redis):
    url = make_article().get_absolute_url()
    warm(client, url)
    drop_the_kept_connection()
    response, queries = queries_for(client, url)
    assert response.status_code == 200 and queries == 0  # still a hit


def test_an_unreachable_redis_reads_as_nothing_cached(settings):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there
    with pytest.raises(redis.ConnectionError):
        cache.get_many(["key"])
    assert caching.get_many(["key"]) == {}  # what the reader's path sees: not cached


def client_id(connection):
    connection.send_command("CLIENT", "ID")
    return connection.read_response()


def drop_the_kept_connection():
    """Close this thread's kept connection from the server's side, as a restart of Redis
    does; its client id."""
    dropped = client_id(own_connection_of_this_thread())
    assert redis.Redis.from_url(REDIS_TEST_URL).client_kill_filter(_id=dropped) == 1
    return dropped
