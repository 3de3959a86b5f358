"""Readers' pages read a streaming replica; everything else reads the primary.

Enabled when DATABASE_REPLICA_URL is set (portal/settings.py adds the
"replica" database and this router). A read goes to the replica only when
`ReplicaReadsMiddleware` has judged the whole request safe for it:

- a GET or HEAD outside the admin (`/<lang>/admin/…`, which includes sign-in);
- from a client that has not written anything for READ_YOUR_WRITES_SECONDS
  (a signed cookie set on the response to any request that wrote), so an
  editor who saves and is redirected sees the change although the replica lags;
- and, within the request, before it wrote anything and outside transactions.

A write is a statement other than a read actually sent to the primary, not a
call of `db_for_write`: `get_or_create()` asks for the write database to read,
and the widgets and site settings do that on every page.

Sessions, users, permissions, admin history and sign-in records are read from
the primary whatever the request: a lagging replica must neither sign an
editor out right after signing in nor keep a session alive after sign-out.
Management commands, cron jobs and shells (no request) read the primary too.
"""

import contextvars
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
ROUTER = "core.db_router.ReplicaRouter"
# Authentication and its bookkeeping: always the primary's word.
PRIMARY_ONLY_APPS = {"admin", "auth", "axes", "contenttypes", "sessions"}
# Counters a client never reads back: writing them does not pin the client to the primary.
NOT_READ_BACK = {"news.dailyviews"}
PIN_COOKIE = "read_primary"
PIN_SALT = "core.db_router.pin"
DEFAULT_PIN_SECONDS = 120
SAFE_METHODS = {"GET", "HEAD"}
# Statements that change nothing (savepoints come with get_or_create's lookups).
READING_STATEMENTS = {"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SHOW", "SET", "EXPLAIN"}
_FIRST_WORD = re.compile(r"[\s(]*(\w+)")


@dataclass
class _Request:
    replica: bool  # this request may read the replica
    wrote: bool = False  # something was written: later reads in it go to the primary
    pin: bool = False  # something the client may read back was written


_current = contextvars.ContextVar("portal_replica_request", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _current.get()
        if (
            state is None
            or not state.replica
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            # Checked without connecting: a reader's page opens no primary connection.
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def pin_seconds():
    return getattr(settings, "READ_YOUR_WRITES_SECONDS", DEFAULT_PIN_SECONDS)


def is_admin_path(path):
    """`/admin/…` or `/<language>/admin/…`: the admin and its sign-in pages."""
    parts = path.lstrip("/").split("/", 2)
    if parts[0] == "admin":
        return True
    languages = {code.lower() for code, _name in settings.LANGUAGES}
    return len(parts) > 1 and parts[0].lower() in languages and parts[1] == "admin"


def recently_wrote(request):
    """The client's pin cookie is ours and younger than the read-your-writes window."""
    pin = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=pin_seconds())
    return pin is not None


def may_read_replica(request):
    return (
        request.method in SAFE_METHODS
        and not is_admin_path(request.path_info)
        and not recently_wrote(request)
    )


def _counter_tables():
    return tuple(f'"{apps.get_model(label)._meta.db_table}"' for label in NOT_READ_BACK)


class _WriteWatcher:
    """An execute wrapper on the primary's connection that notes the request's writes."""

    def __init__(self, state):
        self.state = state

    def __call__(self, execute, sql, params, many, context):
        text = str(sql)
        verb = _FIRST_WORD.match(text)
        if verb is None or verb[1].upper() not in READING_STATEMENTS:
            self.state.wrote = True
            if not any(table in text for table in _counter_tables()):
                self.state.pin = True
        return execute(sql, params, many, context)


class ReplicaReadsMiddleware:
    """Decides, per request, whether its reads may go to the replica; pins writers.

    Sits outside the session middleware so that a session saved on the way out
    (signing in or out) counts as a write of this request.
    """

    def __init__(self, get_response):
        if ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        state = _Request(replica=may_read_replica(request))
        token = _current.set(state)
        try:
            # Accessing the connection object does not connect.
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_WriteWatcher(state)):
                response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.pin:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
