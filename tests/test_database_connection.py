"""A kept PostgreSQL connection is checked before a request's first query without a
round trip while it is busy, and with one after a quiet spell; a connection the server
ended is replaced before the request's first query, which then succeeds."""

import select
import time

import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql import base as django_postgresql

pytestmark = pytest.mark.django_db(transaction=True)  # a request's view: autocommit


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the health check without a round trip is PostgreSQL's")


@pytest.fixture
def queried_checks(monkeypatch):
    """The health checks that sent Django's SELECT 1, counted."""
    calls = []
    original = django_postgresql.DatabaseWrapper.is_usable

    def counting(self):
        calls.append(self.alias)
        return original(self)

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counting)
    return calls


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def next_request():
    """What Django does between two requests to a kept connection."""
    close_old_connections()
    assert connection.connection is not None, "the connection is kept across requests"


def test_a_busy_connection_is_checked_without_a_query(queried_checks):
    pid = backend_pid()
    next_request()
    assert backend_pid() == pid
    assert queried_checks == []


def test_a_connection_quiet_for_a_while_is_checked_with_a_query(queried_checks):
    pid = backend_pid()
    next_request()
    connection._used_at -= connection.QUIET_SECONDS + 1
    assert backend_pid() == pid
    assert queried_checks == ["default"]


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(queried_checks):
    pid = backend_pid()
    next_request()
    with django_postgresql.Database.connect(
        **connection.get_connection_params(), autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server says goodbye on the socket: wait until it has arrived.
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 5
    while not poller.poll(50) and time.monotonic() < deadline:
        pass

    assert backend_pid() != pid  # no error: the first query ran on a new connection
    assert queried_checks == ["default"]


def test_a_connection_inside_a_transaction_is_checked_with_a_query(queried_checks):
    backend_pid()
    next_request()
    connection.connection.execute("BEGIN")  # left open by code outside Django's atomic
    try:
        connection.health_check_done = False
        connection.close_if_health_check_failed()
    finally:
        if connection.connection is not None:
            connection.connection.execute("ROLLBACK")
    assert queried_checks == ["default"]


def test_a_connection_that_saw_an_error_is_checked_with_a_query(queried_checks):
    pid = backend_pid()
    connection.errors_occurred = True  # as Django marks it after a database error
    next_request()
    assert backend_pid() == pid
    assert queried_checks == ["default"]
