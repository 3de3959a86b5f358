"""Repeated failed sign-ins to the admin lock the account and the address out
for a while, with a page that says so in the admin's look."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/en/admin/login/"


@pytest.fixture
def editor():
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def sign_in(client, username="editor", password="wrong", address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times, **kwargs):
    """`times` wrong passwords; the statuses the sign-in answered."""
    return [sign_in(client, **kwargs).status_code for _ in range(times)]


def test_four_failures_still_let_the_right_password_in(client, editor):
    assert fail(client, 4) == [200] * 4  # the sign-in form again, with its error
    assert sign_in(client, password=PASSWORD).status_code == 302


def test_five_failures_lock_the_account_even_with_the_right_password(client, editor):
    assert fail(client, 5) == [200, 200, 200, 200, 429]
    response = sign_in(client, password=PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-ins" in html
    assert "Sign-in is locked for 15 minutes after too many failed attempts." in html
    assert 'id="site-name"' in html  # the admin's header: the lockout page has its look
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_every_address(client, editor):
    fail(client, 5, address="203.0.113.7")
    assert sign_in(client, password=PASSWORD, address="198.51.100.2").status_code == 429


def test_the_address_is_locked_for_every_account(client, editor):
    User.objects.create_user("other", password=PASSWORD, is_staff=True)
    for name in ("a", "b", "c", "d", "e"):
        sign_in(client, username=name)
    assert sign_in(client, username="other", password=PASSWORD).status_code == 429
    # Another address may still sign in to that account.
    assert (
        sign_in(client, username="other", password=PASSWORD, address="198.51.100.2").status_code
        == 302
    )


LOCKED_AT = "2026-03-02 10:00 +05:00"


@pytest.mark.parametrize(
    "wait, status",
    [
        (timedelta(minutes=14, seconds=59), 429),  # a second before the end: still locked
        # django-axes counts a failure exactly 15:00.000 old as still in the window,
        # so the lockout ends the moment after.
        (timedelta(minutes=15, milliseconds=1), 302),
        (timedelta(minutes=15, seconds=1), 302),
    ],
    ids=["14:59", "15:00.001", "15:01"],
)
def test_the_lockout_ends_after_fifteen_minutes(client, editor, wait, status):
    with time_machine.travel(LOCKED_AT, tick=False) as clock:
        fail(client, 5)
        clock.shift(wait)
        assert sign_in(client, password=PASSWORD).status_code == status


def test_a_try_during_the_lockout_restarts_it(client, editor):
    with time_machine.travel(LOCKED_AT, tick=False) as clock:
        fail(client, 5)
        clock.shift(timedelta(minutes=14, seconds=59))
        assert sign_in(client, password=PASSWORD).status_code == 429
        # Half an hour after the failures, but only 14:59 after the last try.
        clock.shift(timedelta(minutes=14, seconds=59))
        assert sign_in(client, password=PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=15, seconds=1))
        assert sign_in(client, password=PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_earlier_typos(client, editor):
    fail(client, 4)
    assert sign_in(client, password=PASSWORD).status_code == 302
    client.logout()
    fail(client, 4)
    assert sign_in(client, password=PASSWORD).status_code == 302


def test_lockout_page_is_in_the_editors_language(client, editor):
    fail(client, 5)
    response = client.post(
        "/ru/admin/login/", {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    assert '<html lang="ru"' in response.content.decode()


def test_failures_are_recorded_for_the_chief_editor_to_see(client, editor):
    fail(client, 3)
    attempt = AccessAttempt.objects.get(username="editor")
    assert attempt.failures_since_start == 3
    assert attempt.ip_address == "203.0.113.7"


def test_behind_the_proxy_the_address_the_proxy_saw_counts(client, editor, settings):
    settings.BEHIND_PROXY = True
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        client.post(
            LOGIN,
            {"username": f"user-{forged}", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        )
    # Forging the first entry of X-Forwarded-For did not spread the failures.
    response = client.post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )
    assert response.status_code == 429
