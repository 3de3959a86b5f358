"""Readers get cached pages, edits show at once, staff pages are never shared."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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
        assert "public" in response["Cache-Control"]
        assert f"max-age={settings.PAGE_CACHE_SECONDS}" in response["Cache-Control"]


def test_an_edit_shows_on_the_next_request(client, each_cache):
    article = make_article("Before")
    assert "Before" in warm(client, article.get_absolute_url())
    article.title_en = "After the edit"
    article.save()
    assert "After the edit" in client.get(article.get_absolute_url()).content.decode()


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
