"""Django's Redis cache backend, with one Redis client per connection pool."""

import functools

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django builds a redis.Redis, with its table of some 170 reply handlers, for
        # every command: a third of a page-cache hit. Clients are thread-safe and hold
        # nothing but their pool, so one per pool serves every command.
        self._client = functools.cache(self._client)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
