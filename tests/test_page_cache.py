"""Readers get cached pages, edits show at once, staff pages are never shared."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Article
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db


def test_second_visit_is_served_from_the_cache_without_queries(client):
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


def test_an_edit_shows_on_the_next_request(client):
    article = make_article("Before")
    assert "Before" in client.get(article.get_absolute_url()).content.decode()
    article.title_en = "After the edit"
    article.save()
    assert "After the edit" in client.get(article.get_absolute_url()).content.decode()


def test_unpublishing_removes_the_article_from_cached_listings(client):
    category = make_category("news")
    article = make_article("Vanishing", category=category)
    assert "Vanishing" in client.get("/en/category/news/").content.decode()
    article.status = Article.Status.DRAFT
    article.save()
    assert "Vanishing" not in client.get("/en/category/news/").content.decode()


def test_pages_for_signed_in_staff_are_private_and_not_cached(client):
    article = make_article()
    staff = get_user_model().objects.create_user("chief", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert len(queries) > 0


def redis_cache(url):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def test_redis_down_degrades_to_no_caching(client, settings):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there
    article = make_article("Still served")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Still served" in response.content.decode()
    assert client.get("/en/").status_code == 200


def redis_available():
    import redis

    try:
        return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.2).ping()
    except redis.RedisError:
        return False


REDIS_TEST_URL = __import__("os").environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")


@pytest.mark.skipif(not redis_available(), reason="no Redis server at REDIS_TEST_URL")
def test_pages_are_cached_in_redis_and_invalidated_by_edits(client, settings):
    settings.CACHES = redis_cache(REDIS_TEST_URL)
    from django.core.cache import cache

    cache.clear()
    article = make_article("Cached in Redis")
    client.get("/en/")
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert "Cached in Redis" in client.get(article.get_absolute_url()).content.decode()
    assert len(queries) == 0
    article.title_en = "Edited in Redis"
    article.save()
    assert "Edited in Redis" in client.get(article.get_absolute_url()).content.decode()
    cache.clear()


def test_junk_query_strings_share_the_cached_page(client):
    article = make_article()
    client.get("/en/")
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url() + "?utm_source=x&fbclid=123")
    assert response.status_code == 200
    assert len(queries) == 0
