"""Readers get cached pages, edits show at once, staff pages are never shared."""

import logging
import time
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from django.views import View

from core.cache import PublicPageCacheMixin
from news.models import Article
from tests.builders import make_article, make_category
from tests.caching import queries_for, redis_cache, require_redis, warm

pytestmark = pytest.mark.django_db


def test_second_visit_is_served_from_the_cache_without_queries(client, each_cache):
    article = make_article()
    client.get("/en/")  # the first page view ever creates the settings rows
    first = client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.get_absolute_url())
    assert second.content == first.content
    assert len(queries) == 0


def test_public_pages_may_be_held_briefly_by_a_cdn(client, settings):
    article = make_article()
    for url in ("/en/", article.get_absolute_url(), "/en/category/" + article.category.slug + "/"):
        response = client.get(url)
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", f"max-age={settings.PAGE_CACHE_SECONDS}"} <= directives


def test_an_edit_shows_on_the_next_request(client, each_cache):
    article = make_article("Before")
    assert "Before" in warm(client, article.get_absolute_url())
    article.title_en = "After the edit"
    article.save()
    assert "After the edit" in client.get(article.get_absolute_url()).content.decode()


def test_a_page_cached_while_an_edit_was_being_committed_is_not_served_after_it(
    client, django_capture_on_commit_callbacks
):
    article = make_article(title_en="Before the edit")
    url = article.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        article.title_en = "After the edit"
        article.save()
        # Until the commit, other connections read the old row: a reader's request then
        # caches the old page under the generation the save started.
        Article.objects.filter(pk=article.pk).update(title_en="Before the edit")
        assert "Before the edit" in client.get(url).content.decode()
        Article.objects.filter(pk=article.pk).update(title_en="After the edit")
    page = client.get(url).content.decode()
    assert "After the edit" in page and "Before the edit" not in page


def test_unpublishing_removes_the_article_from_cached_listings(client, each_cache):
    category = make_category("news")
    article = make_article("Vanishing", category=category)
    assert "Vanishing" in warm(client, "/en/category/news/")
    article.status = Article.Status.DRAFT
    article.save()
    assert "Vanishing" not in client.get("/en/category/news/").content.decode()


def test_deleting_an_article_removes_it_from_the_cached_home_page(client, each_cache):
    article = make_article("Deleted")
    assert "Deleted" in warm(client, "/en/")
    article.delete()
    assert "Deleted" not in client.get("/en/").content.decode()


def test_pages_for_signed_in_staff_are_private_and_never_reach_readers(client, each_cache):
    article = make_article()
    staff = get_user_model().objects.create_user("chief", password="x", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get(article.get_absolute_url())
    assert response.status_code == 200 and article.title_en in response.content.decode()
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives
    # Had the staff page been stored for readers, this would cost no query.
    reader_page, queries = queries_for(client, article.get_absolute_url())
    assert queries > 0
    assert "public" in reader_page["Cache-Control"]
    _again, queries = queries_for(client, article.get_absolute_url())
    assert queries == 0  # the reader's own copy is cached


def test_a_scheduled_article_appears_at_most_page_cache_seconds_after_its_time(
    client, settings, each_cache
):
    # Real time, as Redis expires keys by its own clock.
    settings.PAGE_CACHE_SECONDS = 2
    publish = time.monotonic() + 3
    make_article("On schedule", published_at=timezone.now() + timedelta(seconds=3))
    assert "On schedule" not in warm(client, "/en/")  # cached before its time...
    time.sleep(max(0, publish + settings.PAGE_CACHE_SECONDS + 0.2 - time.monotonic()))
    # ...nothing was written since, yet the cached page is gone in time.
    assert "On schedule" in client.get("/en/").content.decode()


def test_redis_down_degrades_to_no_caching(client, settings):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there
    article = make_article("Still served")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Still served" in response.content.decode()
    assert client.get("/en/").status_code == 200


def test_pages_are_cached_in_redis_and_invalidated_by_edits(client, settings):
    require_redis()
    settings.CACHES = redis_cache()
    article = make_article("Cached in Redis")
    assert "Cached in Redis" in warm(client, article.get_absolute_url())
    article.title_en = "Edited in Redis"
    article.save()
    assert "Edited in Redis" in client.get(article.get_absolute_url()).content.decode()


def test_junk_query_strings_share_the_cached_page(client):
    article = make_article()
    client.get("/en/")
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url() + "?utm_source=x&fbclid=123")
    assert response.status_code == 200
    assert len(queries) == 0


def test_connecting_the_invalidation_signals_again_keeps_edits_showing(client):
    # AppConfig.ready may run more than once (test runners, management commands).
    from core import signals

    signals.connect()
    article = make_article("Before")
    assert "Before" in warm(client, article.get_absolute_url())
    article.title_en = "After the edit"
    article.save()
    assert "After the edit" in client.get(article.get_absolute_url()).content.decode()


def test_a_head_request_is_answered_from_the_cached_page(client, settings):
    article = make_article()
    warm(client, article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.head(article.get_absolute_url())
    assert response.status_code == 200 and len(queries) == 0
    assert f"max-age={settings.PAGE_CACHE_SECONDS}" in response["Cache-Control"]


def test_each_page_of_a_listing_is_cached_on_its_own(client):
    category = make_category("news")
    for _ in range(21):  # two pages of twenty
        make_article(category=category)
    assert "Page 2" in warm(client, "/en/category/news/?page=2")
    assert "Page 1" in warm(client, "/en/category/news/?page=1")
    assert "Page 1" in warm(client, "/en/category/news/")
    assert "Page 2" in client.get("/en/category/news/?page=2").content.decode()


def test_an_old_address_redirects_from_the_cache_to_the_article(client):
    article = make_article()
    old_address = f"/en/article/{article.pk}/"
    client.get("/en/")  # the first page view ever creates the settings rows
    first = client.get(old_address)
    assert first.status_code == 301
    assert first["Location"] == article.get_absolute_url()
    again, queries = queries_for(client, old_address)
    assert queries == 0
    assert again.status_code == 301
    assert again["Location"] == article.get_absolute_url()


def test_a_not_found_answer_is_never_kept(client):
    article = make_article(codes=("en",))
    missing = f"/ru/article/{article.pk}-{article.slug}/"
    client.get("/en/")
    assert client.get(missing).status_code == 404
    again, queries = queries_for(client, missing)
    assert again.status_code == 404
    assert queries > 0


class RemembersTheReader(PublicPageCacheMixin, View):
    """A page that sets a cookie: what it says belongs to one reader only."""

    def get(self, request):
        reader = uuid.uuid4().hex
        response = HttpResponse(f"<p>Hello, {reader}</p>")
        response.set_cookie("reader", reader)
        return response


class PlainText(PublicPageCacheMixin, View):
    renders = 0

    def get(self, request):
        PlainText.renders += 1
        return HttpResponse("plain words", content_type="text/plain; charset=utf-8")


# Through the whole middleware stack, as readers reach pages (pytest.mark.urls).
urlpatterns = [
    path("en/remember/", RemembersTheReader.as_view()),
    path("en/plain/", PlainText.as_view()),
]


@pytest.mark.urls(__name__)
def test_a_response_that_sets_a_cookie_is_never_shared(each_cache):
    first, second = (Client().get("/en/remember/") for _reader in range(2))
    assert first.cookies["reader"].value != second.cookies["reader"].value
    assert second.cookies["reader"].value in second.content.decode()


@pytest.mark.urls(__name__)
def test_a_cached_page_keeps_its_content_type(client, each_cache):
    PlainText.renders = 0
    for _ in range(2):  # the second comes from the cache
        response = client.get("/en/plain/")
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content == b"plain words"
    assert PlainText.renders == 1


def test_a_healthy_cache_logs_no_warning(client, each_cache, caplog):
    article = make_article()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        warm(client, "/en/")
        warm(client, article.get_absolute_url())
        assert client.get("/en/rss/").status_code == 200
    assert [record for record in caplog.records if record.name == "core.cache"] == []


def test_workers_starting_the_content_generation_at_once_agree_on_it(monkeypatch):
    from core import cache as caching

    real = caching.cache

    class AnotherWorkerGetsThereFirst:
        """The cache as a worker sees it when another one stores the generation
        between this worker's read (nothing there) and its add."""

        def get(self, key):
            return real.get(key)

        def add(self, key, value, timeout):
            real.set(key, 1_700_000_000_000_000_000, None)
            return real.add(key, value, timeout)

    monkeypatch.setattr(caching, "cache", AnotherWorkerGetsThereFirst())
    assert caching.generation() == 1_700_000_000_000_000_000


def test_signing_in_does_not_empty_the_readers_cache(client):
    article = make_article()
    warm(client, article.get_absolute_url())
    staff = get_user_model().objects.create_user("chief", password="x", is_staff=True)
    Client().force_login(staff)  # saves the session and the user's last login
    _page, queries = queries_for(client, article.get_absolute_url())
    assert queries == 0


def test_a_page_stored_in_another_releases_shape_is_rendered_afresh(client, monkeypatch):
    # A deploy can meet entries another release stored under the same key (here one
    # field short): they are misses, never an error, and the page is rendered again.
    from core import cache as caching

    real = caching.cache

    class AnotherReleaseStoresThePage:
        def __getattr__(self, name):
            return getattr(real, name)

        def set(self, key, value, timeout):
            if key.startswith("page:"):
                value = value[:4]
            return real.set(key, value, timeout)

    monkeypatch.setattr(caching, "cache", AnotherReleaseStoresThePage())
    article = make_article("Kept across the deploy")
    assert client.get(article.get_absolute_url()).status_code == 200
    caching.local_copies.clear()  # another worker: it has only what the cache holds
    again, queries = queries_for(client, article.get_absolute_url())
    assert again.status_code == 200
    assert "Kept across the deploy" in again.content.decode()
    assert queries > 0
