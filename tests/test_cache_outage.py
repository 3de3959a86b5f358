"""With the cache backend unreachable, every public route still answers, uncached."""

import logging

import pytest

from tests.builders import make_article, make_author, make_category, make_tag
from tests.caching import redis_cache
from tests.test_feeds import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port(settings):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there


def test_every_public_route_answers_when_the_cache_is_down(client, closed_port):
    category = make_category("news")
    tag = make_tag("senate")
    author = make_author("adlet")
    article = make_article(
        "Still served", category=category, tags=[tag], authors=[author], image=png()
    )
    for number in range(21):
        make_article(f"Filler {number}", category=category)
    routes = {
        "/en/": 200,
        "/en/?page=2": 200,
        article.get_absolute_url(): 200,
        f"/en/article/{article.pk}/": 301,
        "/en/category/news/": 200,
        "/en/category/news/?page=2": 200,
        "/en/tag/senate/": 200,
        "/en/author/adlet/": 200,
        "/en/search/?q=served": 200,
        "/en/rss/": 200,
        "/en/category/news/rss/": 200,
        "/sitemap.xml": 200,
        "/sitemap-articles-en.xml": 200,
        "/sitemap-categories-en.xml": 200,
        "/news-sitemap.xml": 200,
        "/news-sitemap-en.xml": 200,
        "/robots.txt": 200,
        "/healthz": 200,
        "/en/no-such-page/": 404,
    }
    for url, status in routes.items():
        response = client.get(url)
        assert response.status_code == status, url
    assert "Still served" in client.get(article.get_absolute_url()).content.decode()
    assert "Still served" in client.get("/en/rss/").content.decode()
    beacon = client.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT="Mozilla/5.0")
    assert beacon.status_code == 204


def test_a_cache_outage_is_logged_as_a_warning_with_its_cause(client, closed_port, caplog):
    make_article("Still served")
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert client.get("/en/").status_code == 200
    outages = [record for record in caplog.records if record.name == "core.cache"]
    assert outages
    for record in outages:
        assert record.levelno == logging.WARNING
        assert record.getMessage() == "cache unavailable"
        assert record.exc_info and record.exc_info[1] is not None  # the cause, for the operator


def test_feeds_answer_conditional_requests_while_the_cache_is_down(client, closed_port):
    make_article("Still served")
    first = client.get("/en/rss/")
    assert first.status_code == 200
    again = client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_page_asks_an_unreachable_cache_once(client, closed_port, caplog):
    """A hanging Redis costs its timeout on every call: once a page's lookup finds the
    cache down, the rest of the request computes what it would have read there."""
    article = make_article("Still served")
    for url in ("/en/", article.get_absolute_url(), "/en/no-such-page/"):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="core.cache"):
            response = client.get(url)
        assert response.status_code == (404 if "no-such" in url else 200)
        failed_calls = [record for record in caplog.records if record.name == "core.cache"]
        assert len(failed_calls) == 1, url
    assert "Still served" in client.get(article.get_absolute_url()).content.decode()
