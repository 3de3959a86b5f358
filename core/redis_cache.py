"""Django's Redis cache backend, with one Redis client per connection pool, reads of
several keys (a page-cache hit: one MGET) sent on a connection of the thread's own, and
keys whose every write is announced to the processes reading them (`announce`)."""

import functools
import logging
import os
import threading
import time

import redis as redis_py  # noqa: F401 (Django imports it at a worker's first page: 35 ms)
from django.core.cache.backends import redis

logger = logging.getLogger(__name__)


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django builds a redis.Redis, with its table of some 170 reply handlers, for
        # every command: a third of a page-cache hit. Clients are thread-safe and hold
        # nothing but their pool, so one per pool serves every command.
        self._client = functools.cache(self._client)
        self._own = threading.local()

    def get_many(self, keys):
        """MGET on a redis-py connection this thread keeps for itself, outside the client:
        its pool, retry, event and telemetry layers cost a page-cache hit more than
        Redis's answer (measured: a hit 0.85× a trivial view through them, 1.3× with no
        round trip at all). Once more on a new connection if the kept one was broken (a
        restarted Redis); errors reach the caller as the client's would."""
        keys = list(keys)
        if not keys:
            return {}
        connection, fresh = self._own_connection()
        try:
            values = self._mget(connection, keys)
        except self._lib.ConnectionError:
            if fresh:
                raise
            values = self._mget(connection, keys)  # disconnected: connects anew
        return {
            key: self._serializer.loads(v)
            for key, v in zip(keys, values, strict=True)
            if v is not None
        }

    def _mget(self, connection, keys):
        try:
            connection.send_command("MGET", *keys)
            return connection.read_response()
        except BaseException:
            connection.disconnect()  # nothing half-read is left for the next command
            raise

    def announce(self, key, value, channel):
        """Set `key` to `value` (with no expiry) and tell every process watching it, in one
        transaction: a watcher that reads the key afterwards never gets an older value
        than the last announcement it was sent."""
        serialized = self._serializer.dumps(value)
        with self.get_client(key, write=True).pipeline(transaction=True) as pipeline:
            pipeline.set(key, serialized)
            pipeline.publish(self._channel(channel), self._serializer.dumps((key, value)))
            pipeline.execute()

    def clear_announcing(self, channel):
        cleared = self.clear()
        # Watchers forget every value: each reads it again from the cache.
        self.get_client(None, write=True).publish(
            self._channel(channel), self._serializer.dumps(None)
        )
        return cleared

    def announced(self, key, channel):
        """`key`'s value as last announced to this process or confirmed, while trusted;
        None when not known (not yet confirmed, the subscription lost): ask the cache."""
        return self._watch(channel).value(key)

    def confirm(self, key, value, channel):
        """What the cache answered for `key` just now (None: nothing): trusted from here."""
        self._watch(channel).confirm(key, value)

    def _channel(self, name):
        """Channels are the server's, not a database's: the name says which database."""
        pool = self._get_connection_pool(write=True)
        return f"{name}@{pool.connection_kwargs.get('db', 0)}"

    def _watch(self, channel):
        watch = getattr(self, "_watch_of_process", None)
        if watch is None or watch.pid != os.getpid():  # none, or the parent's (a fork)
            pool = self._get_connection_pool(write=True)
            watch = self._watch_of_process = Watch(
                lambda: pool.connection_class(**pool.connection_kwargs),
                self._channel(channel),
                self._serializer.loads,
            )
        return watch

    def _own_connection(self):
        """(this thread's connection to a server reads may use, whether it is unconnected)."""
        pool = self._get_connection_pool(write=False)
        connections = getattr(self._own, "connections", None)
        if connections is None or self._own.pid != os.getpid():  # none, or the parent's
            connections = self._own.connections = {}
            self._own.pid = os.getpid()
        connection = connections.get(pool)
        if connection is None:
            # The pool's options (timeouts, parser), not one of its connections: a pool
            # hands its connections out one command at a time.
            connection = connections[pool] = pool.connection_class(**pool.connection_kwargs)
        return connection, not connection.is_connected


class Watch:
    """The announced keys' values as this process last heard them, on a subscription of
    its own (made after gunicorn's fork): reading one costs a poll of the subscription's
    socket, not a round trip. A value is trusted for TRUST_SECONDS after it was announced
    or confirmed, then the reader asks the cache again: an announcement lost with no
    error on the connection (a link dropped without a word) misleads it that long at
    most. With the subscription lost, nothing is trusted until it is made again. (Where
    a worker serves from threads, a confirmation may cross an announcement another
    thread took in: the older value then stands until its trust runs out.)"""

    TRUST_SECONDS = 1.0
    RETRY_SECONDS = 1.0

    def __init__(self, connect, channel, loads):
        self.pid = os.getpid()
        self.connect = connect
        self.channel = channel
        self.loads = loads
        self.connection = None
        self.retry_at = 0.0
        self.values = {}  # key: (value, trusted until)
        self.lock = threading.Lock()  # the development server serves from threads

    def value(self, key):
        with self.lock:
            if not self._listen():
                return None
            value, trusted_until = self.values.get(key, (None, 0.0))
            return value if time.monotonic() < trusted_until else None

    def confirm(self, key, value):
        with self.lock:
            if self.connection is not None:
                self._keep(key, value)

    def _listen(self):
        """Whether the subscription is up, with every announcement it holds taken in."""
        try:
            if self.connection is None:
                if time.monotonic() < self.retry_at:
                    return False
                self.connection = self.connect()
                self.connection.send_command("SUBSCRIBE", self.channel)
                self.connection.read_response(push_request=True)
                self.values = {}  # what was announced before is unknown: confirm it first
            while self.connection.can_read(timeout=0):
                kind, _channel, data = self.connection.read_response(push_request=True)
                if kind == b"message":
                    self._take(self.loads(data))
            return True
        except Exception:  # any error of the connection: no trust until subscribed again
            logger.warning("announcements unavailable", exc_info=True)
            if self.connection is not None:
                self.connection.disconnect()
            self.connection = None
            self.values = {}
            self.retry_at = time.monotonic() + self.RETRY_SECONDS
            return False

    def _take(self, announcement):
        if announcement is None:  # the cache was emptied
            self.values = {}
        else:
            self._keep(*announcement)

    def _keep(self, key, value):
        if value is None:
            self.values.pop(key, None)
        else:
            self.values[key] = (value, time.monotonic() + self.TRUST_SECONDS)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        # Announcements of this cache's keys (its KEY_PREFIX: caches may share a server).
        self._announcements = self.make_key("announcements")

    def announce(self, key, value, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._cache.announce(key, value, self._announcements)

    def announced(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._cache.announced(key, self._announcements)

    def confirm(self, key, value, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._cache.confirm(key, value, self._announcements)

    def clear(self):
        return self._cache.clear_announcing(self._announcements)
