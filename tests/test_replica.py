"""Reads from a streaming replica: readers' pages there, the admin, sign-in,
sessions and a client that just wrote on the primary.

The first tests check the routing rules alone. The others need a real replica
(scripts/pg-replica start, DATABASE_REPLICA_URL=postgres://…:5433/…): the test
database is created on the primary and streams to it. They prove which server
answered by pausing its replay, writing on the primary and looking at the
pages. Without a replica they skip, unless REQUIRE_REPLICA=1 (CI) says it
must be there.
"""

import os
import time
from datetime import timedelta

import psycopg
import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connections
from django.db.models import F
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import db_router
from core.db_router import PIN_COOKIE, REPLICA, ReplicaReadsMiddleware, ReplicaRouter
from news.models import Article, DailyViews, SiteSettings, Tag
from tests.admin_helpers import change_url, form_data_of
from tests.builders import make_article, make_tag
from widgets.models import WidgetSettings

router = ReplicaRouter()
requests = RequestFactory()


def read_from(request, write=None):
    """Where an article read goes during `request` (after `write()`, if given),
    and the response the middleware makes of it."""
    seen = {}

    def view(request):
        if write is not None:
            write()
        seen["article"] = router.db_for_read(Article)
        seen["session"] = router.db_for_read(Session)
        seen["user"] = router.db_for_read(User)
        return HttpResponse("ok")

    response = ReplicaReadsMiddleware(view)(request)
    return seen, response


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = [db_router.ROUTER]


# --- The rules -------------------------------------------------------------------------


def test_without_a_request_everything_reads_the_primary():
    """Management commands, cron jobs and shells never read a lagging copy."""
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("replica", "news") is False
    assert router.allow_migrate("default", "news") is True


def test_the_middleware_is_off_without_a_replica(settings):
    from django.core.exceptions import MiddlewareNotUsed

    settings.DATABASE_ROUTERS = []
    with pytest.raises(MiddlewareNotUsed):
        ReplicaReadsMiddleware(lambda request: None)


@pytest.mark.parametrize("code", [code for code, _name in django_settings.LANGUAGES])
def test_readers_pages_read_the_replica_and_the_admin_of_every_edition_the_primary(routed, code):
    for path in (f"/{code}/", f"/{code}/article/12-budget/", f"/{code}/category/administration/"):
        assert read_from(requests.get(path))[0]["article"] == REPLICA, path
    admin = f"/{code}/admin/"
    for path in (admin, f"{admin}login/", f"{admin}news/article/3/change/"):
        assert read_from(requests.get(path))[0]["article"] == "default", path
    assert read_from(requests.get("/admin/"))[0]["article"] == "default"


def test_sessions_and_users_are_read_from_the_primary_even_on_readers_pages(routed):
    seen, _response = read_from(requests.get("/en/"))
    assert seen == {"article": REPLICA, "session": "default", "user": "default"}


def test_a_form_sent_to_a_readers_page_reads_the_primary(routed):
    assert read_from(requests.post("/en/search/"))[0]["article"] == "default"


@pytest.mark.django_db(transaction=True)
def test_a_write_keeps_the_client_on_the_primary_for_the_window(routed, settings):
    settings.READ_YOUR_WRITES_SECONDS = 120
    seen, response = read_from(requests.get("/en/"), write=make_tag)
    assert seen["article"] == "default"  # later reads of the same request
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 120 and pin["httponly"] and pin["samesite"] == "Lax"

    def next_request():
        request = requests.get("/en/")
        request.COOKIES[PIN_COOKIE] = pin.value
        return read_from(request)[0]["article"]

    assert next_request() == "default"
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        assert next_request() == REPLICA


def test_a_forged_pin_is_ignored(routed):
    request = requests.get("/en/")
    request.COOKIES[PIN_COOKIE] = "1"
    assert read_from(request)[0]["article"] == REPLICA


@pytest.mark.django_db
def test_lookups_and_counting_a_view_do_not_keep_the_reader_on_the_primary(routed):
    def lookup_and_count():
        Tag.objects.get_or_create(slug="exists", defaults={"name_en": "Exists"})
        DailyViews.objects.filter(article_id=0).update(count=F("count") + 1)

    Tag.objects.create(slug="exists", name_en="Exists")
    seen, response = read_from(requests.get("/en/"), write=lookup_and_count)
    assert PIN_COOKIE not in response.cookies


# --- A real streaming replica ----------------------------------------------------------


def replica_unavailable():
    """Why the replica tests cannot run here, or None."""
    if REPLICA not in django_settings.DATABASES:
        return "DATABASE_REPLICA_URL is not set (start one with scripts/pg-replica start)"
    primary, replica = django_settings.DATABASES["default"], django_settings.DATABASES[REPLICA]
    if "postgresql" not in primary["ENGINE"] or "postgresql" not in replica["ENGINE"]:
        return "the replica tests need PostgreSQL streaming replication"
    try:
        connection = psycopg.connect(
            host=replica["HOST"],
            port=replica["PORT"] or 5432,
            user=replica["USER"],
            password=replica["PASSWORD"],
            dbname=replica["NAME"],
            connect_timeout=3,
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            standby = cursor.fetchone()[0]
        connection.close()
    except psycopg.Error as error:
        return f"the replica at {replica['HOST']}:{replica['PORT']} does not answer: {error}"
    if not standby:
        return f"{replica['HOST']}:{replica['PORT']} is not a standby server"
    return None


class Replica:
    """The replica server under the test database (through Django's connections)."""

    def _one(self, alias, sql, params=()):
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def caught_up(self, timeout=30):
        """Wait until the replica has replayed all the primary has written so far."""
        target = self._one("default", "SELECT pg_current_wal_lsn()")
        deadline = timezone.now() + timedelta(seconds=timeout)
        while timezone.now() < deadline:
            if self._one(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
                return
            time.sleep(0.05)
        raise AssertionError(f"the replica did not reach {target} in {timeout}s")

    def pause(self):
        self.caught_up()
        self._one(REPLICA, "SELECT pg_wal_replay_pause()")
        while self._one(REPLICA, "SELECT pg_get_wal_replay_pause_state()") != "paused":
            time.sleep(0.05)

    def resume(self):
        self._one(REPLICA, "SELECT pg_wal_replay_resume()")
        self.caught_up()


UNAVAILABLE = replica_unavailable()
if UNAVAILABLE and os.environ.get("REQUIRE_REPLICA") == "1":
    pytest.fail(f"REQUIRE_REPLICA=1 but {UNAVAILABLE}", pytrace=False)


def on_the_replica(test):
    """A test on the real replica: transactions really commit, so that they stream."""
    test = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])(test)
    return pytest.mark.skipif(UNAVAILABLE is not None, reason=str(UNAVAILABLE))(test)


@pytest.fixture
def replica():
    # A site in service has its settings rows (the first page ever served writes them).
    SiteSettings.current(), WidgetSettings.current()
    server = Replica()
    server.caught_up()
    yield server
    server.resume()  # before the database is flushed, and whatever the test did


class Queries:
    """Queries each server ran while the block ran."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections[REPLICA]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def make_chief():
    # Not through the newsroom groups: the data migration's rows do not survive the
    # flush of a transactional test.
    return User.objects.create_superuser("chief", password="a long enough password")


def page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


@on_the_replica
def test_a_readers_page_is_read_from_the_replica_alone(replica, client):
    article = make_article("Harvest")
    replica.caught_up()
    with Queries() as queries:
        status, html = page(client, article.get_absolute_url())
    assert status == 200 and "Harvest" in html
    assert len(queries.replica) > 0
    assert len(queries.primary) == 0, [query["sql"] for query in queries.primary]


@on_the_replica
def test_readers_do_not_see_what_the_replica_has_not_replayed(replica, client):
    replica.pause()
    article = make_article("Flood warning")
    assert page(client, article.get_absolute_url())[0] == 404
    assert "Flood warning" not in page(client, "/en/")[1]
    replica.resume()
    status, html = page(client, article.get_absolute_url())
    assert status == 200 and "Flood warning" in html


@on_the_replica
def test_the_admin_shows_the_primary_while_the_replica_lags(replica, client):
    article = make_article("Old title")
    readers_page = article.get_absolute_url()
    client.force_login(make_chief())
    replica.pause()
    # Another editor's change, on the primary only.
    Article.objects.filter(pk=article.pk).update(title_en="New title")
    with Queries() as queries:
        for code in ("en", "kk-latn", "zh-hans"):
            listing = page(client, f"/{code}/admin/news/article/")
            assert listing[0] == 200 and "New title" in listing[1], code
        form = page(client, change_url(article))
        assert form[0] == 200 and "New title" in form[1]
    assert len(queries.replica) == 0
    # Readers still get the replica's copy.
    assert "Old title" in page(Client(), readers_page)[1]


@on_the_replica
def test_signing_in_while_the_replica_lags_works_and_the_session_holds(replica, client):
    replica.pause()
    User.objects.create_user("editor", password="a long enough password", is_staff=True)
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "editor", "password": "a long enough password", "next": "/en/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    assert PIN_COOKIE in response.cookies
    assert page(client, "/en/admin/")[0] == 200
    # Past the read-your-writes window, a reader's page comes from the replica,
    # which has neither this user nor the session: they are looked up on the primary.
    del client.cookies[PIN_COOKIE]
    with Queries() as queries:
        response = client.get("/en/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]  # served as to signed-in staff
    assert len(queries.replica) > 0
    assert not any("django_session" in query["sql"] for query in queries.replica)


@on_the_replica
def test_a_signed_out_session_is_dead_even_where_the_replica_still_has_it(replica, client):
    client.force_login(make_chief())
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    replica.pause()
    assert client.post("/en/admin/logout/").status_code == 200
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session  # replayed by an attacker
    del client.cookies[PIN_COOKIE]
    assert client.get("/en/admin/")["Location"].startswith("/en/admin/login/")
    assert "public" in client.get("/en/")["Cache-Control"]


@on_the_replica
def test_after_publishing_the_editor_finds_the_article_where_they_are_sent(replica, client):
    draft = make_article("Election results", status=Article.Status.DRAFT)
    client.force_login(make_chief())
    replica.pause()
    response = client.post(
        change_url(draft), form_data_of(draft, status=Article.Status.PUBLISHED), follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/en/admin/news/article/")
    assert "Election results" in response.content.decode()
    # "View on site" and the edition's front page, within the window.
    status, html = page(client, draft.get_absolute_url())
    assert status == 200 and "Election results" in html
    assert "Election results" in page(client, "/en/")[1]
    # Meanwhile readers are served by the paused replica ...
    assert page(Client(), draft.get_absolute_url())[0] == 404
    # ... and so is the editor once the window has passed.
    later = timezone.now() + timedelta(seconds=django_settings.READ_YOUR_WRITES_SECONDS + 1)
    with time_machine.travel(later):
        assert page(client, draft.get_absolute_url())[0] == 404
    replica.resume()
    assert page(client, draft.get_absolute_url())[0] == 200


@on_the_replica
def test_counting_a_view_leaves_the_reader_on_the_replica(replica, client):
    article = make_article("Weather")
    replica.caught_up()
    response = client.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT="Mozilla/5.0 Firefox")
    assert response.status_code == 204
    assert PIN_COOKIE not in response.cookies
    with Queries() as queries:
        assert page(client, article.get_absolute_url())[0] == 200
    assert len(queries.primary) == 0
