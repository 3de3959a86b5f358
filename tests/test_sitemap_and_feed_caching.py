"""Sitemaps and feeds come from the cache, and answer 304, until readers can see a change.

Crawlers and feed readers fetch them again and again; at a million articles a
render costs seconds, so a repeat costs only the freshness queries (news.discovery).
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import parse_http_date

from news.models import Article
from news.sitemap_census import LOOKBACK
from tests.builders import make_article, make_author, make_category, make_gallery, make_tag

pytestmark = pytest.mark.django_db

URLS = [
    "/sitemap.xml",
    "/sitemap-articles-en.xml",
    "/sitemap-tags-en.xml",
    "/news-sitemap.xml",
    "/news-sitemap-en.xml",
    "/en/rss/",
    "/en/category/politics/rss/",
    "/en/galleries/rss/",
]
# The freshness queries (newest update and publish time of the published articles,
# and of the galleries the sitemaps list) are all a cached response costs.
FRESHNESS_QUERIES = 2


@pytest.fixture
def subjects():
    return {
        "category": make_category("politics", codes=("en", "ru")),
        "tags": [make_tag("senate", codes=("en", "ru"))],
        "authors": [make_author("adlet", codes=("en", "ru"))],
    }


@pytest.fixture
def published(subjects):
    make_gallery(photos=1, codes=("en", "ru"))
    return make_article("Senate meets", codes=("en", "ru"), **subjects)


def later(minutes=5):
    """A clock past the first response's second, so that Last-Modified can move."""
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_request_is_served_from_the_cache(client, published, url):
    first = client.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert len(queries) <= FRESHNESS_QUERIES
    assert all(query["sql"].startswith("SELECT MAX(") for query in queries), queries


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("condition", ["HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"])
def test_conditional_requests_are_answered_304_from_the_cache(client, published, url, condition):
    first = client.get(url)
    validator = first["ETag" if condition == "HTTP_IF_NONE_MATCH" else "Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **{condition: validator})
    assert response.status_code == 304
    assert response.content == b""
    assert len(queries) <= FRESHNESS_QUERIES


@pytest.mark.parametrize("url", URLS)
def test_saving_a_draft_keeps_the_etag_and_last_modified(client, subjects, published, url):
    first = client.get(url)
    with later():
        draft = make_article("Not yet", codes=("en", "ru"), status=Article.Status.DRAFT, **subjects)
        draft.title_en = "Still not yet"
        draft.save()
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert response.status_code == 304
        assert response["ETag"] == first["ETag"]
        assert response["Last-Modified"] == first["Last-Modified"]
        unconditional = client.get(url)
    assert unconditional.content == first.content
    assert b"Not yet" not in unconditional.content


@pytest.mark.parametrize("url", [url for url in URLS if "galleries" not in url])
def test_publishing_an_article_gives_a_new_etag_and_last_modified(client, subjects, published, url):
    first = client.get(url)
    with later():
        make_article(
            "Breaking", codes=("en", "ru"), published_at=timezone.now(), slug="breaking", **subjects
        )
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == by_date.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert parse_http_date(response["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    assert response.content != first.content


@pytest.mark.parametrize("url", ["/en/rss/", "/en/category/politics/rss/", "/news-sitemap-en.xml"])
def test_renaming_a_published_article_gives_a_new_etag_and_last_modified(client, published, url):
    first = client.get(url)
    with later():
        published.title_en = "Senate adjourns"
        published.save()
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == by_date.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert parse_http_date(response["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    assert b"Senate adjourns" in response.content


@pytest.mark.parametrize(
    "page, budget",
    [
        # Freshness (2), then articles and galleries: at the first render, the census
        # stored in the database looked for, its row made, the highest id, every page
        # counted, the count stored (five queries each), and each of categories, tags
        # and authors counted and dated (two queries each).
        ("index", 2 + 2 * 5 + 3 * 2),
        # After an article's change: for articles, the rows changed with no signal and the
        # changed page counted again; for galleries, only the former (news.sitemap_census).
        ("index again", 2 + 2 + 1 + 3 * 2),
        # With the cache emptied: for articles and galleries, the census stored in the
        # database and the rows changed since it was counted, no page counted again.
        ("index, cache emptied", 2 + 2 * 2 + 3 * 2),
        # Freshness (2), the page's rows: a page is a range of ids, found by the key.
        ("first", 2 + 1),
        ("last", 2 + 1),
    ],
)
def test_a_render_takes_a_fixed_number_of_queries(
    client, subjects, monkeypatch, request, page, budget
):
    monkeypatch.setattr("news.sitemaps.ArticleSitemap.limit", 2)
    articles = [
        make_article(codes=("en", "ru", "kk"), slug=f"article-{number}", **subjects)
        for number in range(5)
    ]
    if page == "index again":
        assert client.get("/sitemap.xml").status_code == 200
        articles[2].title_en = "Edited"
        articles[2].save()
    if page == "index, cache emptied":
        # Counted once its articles are older than the lookback for late commits.
        later = time_machine.travel(timezone.now() + 2 * LOOKBACK, tick=False)
        later.start()
        request.addfinalizer(later.stop)
        assert client.get("/sitemap.xml").status_code == 200
        cache.clear()
    url = {
        "index": "/sitemap.xml",
        "index again": "/sitemap.xml",
        "index, cache emptied": "/sitemap.xml",
        "first": "/sitemap-articles-en.xml",
        "last": f"/sitemap-articles-en.xml?p={articles[-1].pk // 2 + 1}",
    }[page]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == budget, [query["sql"] for query in queries]


def test_sitemap_pages_split_the_readable_articles_only(client, monkeypatch):
    """Page n holds the readable rows whose ids run from (n - 1) × limit: never more than
    `limit` URLs, and a row keeps its page whatever is published or taken down before it."""
    monkeypatch.setattr("news.sitemaps.ArticleSitemap.limit", 2)
    readable = []
    for number in range(7):
        # Drafts and other editions' articles between them: ids the pages must skip.
        make_article(codes=("ru",), slug=f"russian-{number}")
        make_article(codes=("en",), status=Article.Status.DRAFT, slug=f"draft-{number}")
        readable.append(make_article(codes=("en",), slug=f"english-{number}"))
    index = client.get("/sitemap.xml").content.decode()
    numbers = [int(n or 1) for n in re.findall(r"/sitemap-articles-en\.xml(?:\?p=(\d+))?<", index)]
    assert numbers == sorted({article.pk // 2 + 1 for article in readable})
    listed = []
    for number in numbers:
        response = client.get(f"/sitemap-articles-en.xml?p={number}")
        assert response.status_code == 200
        urls = re.findall(r"<loc>http://testserver(/en/[^<]+)</loc>", response.content.decode())
        assert 1 <= len(urls) <= 2
        listed += urls
    assert listed == [f"/en/article/{article.pk}-{article.slug}/" for article in readable]
    # Taking the first one down empties its page and moves no other article.
    readable[0].status = Article.Status.UNPUBLISHED
    readable[0].save()
    first_page = readable[0].pk // 2 + 1
    if first_page > 1:
        assert client.get(f"/sitemap-articles-en.xml?p={first_page}").status_code == 404
    after = client.get(f"/sitemap-articles-en.xml?p={numbers[-1]}").content.decode()
    assert f"/en/article/{readable[-1].pk}-{readable[-1].slug}/" in after
    assert client.get(f"/sitemap-articles-en.xml?p={numbers[-1] + 1}").status_code == 404


@pytest.mark.parametrize("url", ["/sitemap-articles-en.xml", "/news-sitemap-en.xml", "/en/rss/"])
def test_a_scheduled_article_shows_when_its_time_comes_without_any_save(client, published, url):
    soon = timezone.now() + timedelta(minutes=1)
    scheduled = make_article("Scheduled", codes=("en",), slug="scheduled", published_at=soon)
    # Scheduled yesterday: no update time of it changes when its time comes.
    Article.objects.filter(pk=scheduled.pk).update(updated_at=timezone.now() - timedelta(days=1))
    first = client.get(url)
    assert f"/en/article/{scheduled.pk}-scheduled/".encode() not in first.content
    with later(minutes=2):
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert f"/en/article/{scheduled.pk}-scheduled/".encode() in response.content


def test_last_modified_is_when_readers_could_first_see_a_change(client, subjects, published):
    """A change no article's dates show (a category renamed) dates the feed from the
    moment of the change, not from the first request after it."""
    url = "/en/category/politics/rss/"
    client.get(url)
    renamed_at = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    with time_machine.travel(renamed_at, tick=False):
        subjects["category"].name_en = "Affairs of state"
        subjects["category"].save()
    with time_machine.travel(renamed_at + timedelta(minutes=10), tick=False):
        response = client.get(url)
    assert b"Affairs of state" in response.content
    assert parse_http_date(response["Last-Modified"]) == int(renamed_at.timestamp())
