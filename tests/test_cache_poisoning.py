"""A request's Host, port or scheme never reaches what other readers get.

Absolute URLs (canonical, og:url, hreflang, JSON-LD, share links, feed links,
sitemaps) come from SITE_URL, so a cached copy made for a forged request is the
same as one made for anyone else.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.builders import make_article, make_category, make_tag

pytestmark = pytest.mark.django_db

FORGED = [
    {"HTTP_HOST": "127.0.0.1:6666"},
    {"HTTP_HOST": "localhost"},
    {"HTTP_X_FORWARDED_PROTO": "https"},
    {"HTTP_X_FORWARDED_HOST": "evil.example", "HTTP_X_FORWARDED_PORT": "6666"},
]


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    # The setting under which X-Forwarded-Proto is believed (BEHIND_PROXY=1).
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]


@pytest.fixture
def site():
    category = make_category("news")
    tag = make_tag("senate")
    article = make_article("Senate session", category=category, tags=[tag], codes=("en", "ru"))
    return article


def public_urls(article):
    return [
        "/en/",
        article.get_absolute_url(),
        "/en/category/news/",
        "/en/tag/senate/",
        "/en/rss/",
        "/en/category/news/rss/",
        "/sitemap.xml",
        "/sitemap-articles-en.xml",
        "/news-sitemap.xml",
        "/news-sitemap-en.xml",
        "/robots.txt",
    ]


def foreign(text):
    return [
        marker
        for marker in ("6666", "https://testserver", "localhost", "evil.example", "127.0.0.1")
        if marker in text
    ]


@pytest.mark.parametrize(
    "headers", FORGED, ids=lambda h: ",".join(f"{k}={v}" for k, v in h.items())
)
def test_a_forged_host_or_scheme_does_not_reach_the_next_reader(client, site, headers):
    for url in public_urls(site):
        poisoned = client.get(url, **headers)
        assert poisoned.status_code == 200, url
        assert foreign(poisoned.content.decode()) == [], url
        plain = client.get(url)
        assert plain.status_code == 200, url
        text = plain.content.decode()
        assert foreign(text) == [], url
        assert "http://testserver/" in text, url


def test_article_page_links_name_the_configured_origin(client, settings, site):
    settings.SITE_URL = "https://www.inform.kz"
    html = client.get(site.get_absolute_url(), HTTP_HOST="127.0.0.1:6666").content.decode()
    expected = f"https://www.inform.kz/en/article/{site.pk}-"
    assert f'<link rel="canonical" href="{expected}' in html
    assert f'<meta property="og:url" content="{expected}' in html
    assert 'hreflang="ru" href="https://www.inform.kz/ru/article/' in html
    assert '"url": "https://www.inform.kz/en/article/' in html  # JSON-LD
    assert "u=https%3A%2F%2Fwww.inform.kz%2Fen%2Farticle%2F" in html  # share links
    assert 'href="https://www.inform.kz/en/rss/"' in html
    assert "6666" not in html


def test_feed_and_sitemap_etags_do_not_depend_on_the_host(client, site):
    for url in ("/en/rss/", "/sitemap-articles-en.xml"):
        plain = client.get(url)["ETag"]
        assert client.get(url, HTTP_HOST="127.0.0.1:6666")["ETag"] == plain
        assert client.get(url, HTTP_X_FORWARDED_PROTO="https")["ETag"] == plain


@pytest.mark.parametrize(
    "url", ["/en/rss/", "/en/category/news/rss/", "/sitemap-categories-en.xml", "/sitemap.xml"]
)
def test_renaming_a_category_changes_feed_and_sitemap_etags(client, site, url):
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    category = site.category
    category.name_en = "Politics"
    category.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    if "rss" in url:
        assert "Politics" in again.content.decode()


def test_renaming_a_tag_changes_the_feed_etag_and_its_categories(client, site):
    first = client.get("/en/rss/")
    assert "<category>Tag" in first.content.decode()
    assert client.get("/en/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # A second later, as HTTP dates have whole seconds.
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        tag = site.tags.get()
        tag.name_en = "Upper house"
        tag.save()
        again = client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 200
        assert "<category>Upper house</category>" in again.content.decode()
        by_date = client.get("/en/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert by_date.status_code == 200
