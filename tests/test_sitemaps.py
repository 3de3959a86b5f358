"""Sitemaps with hreflang alternates, the news sitemap and robots.txt."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from news.models import Article
from news.sitemap_census import KeptCensus
from news.sitemaps import ArticleSitemap
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


URLSET, INDEX = schema("sitemap.xsd"), schema("siteindex.xsd")


def xml(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    assert schema.validate(document), (url, schema.error_log)
    return document


def locs(document):
    return [loc.text for loc in document.iterfind(".//s:loc", NS)]


def path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def entry(document, location):
    (url,) = [
        u for u in document.iterfind("s:url", NS) if u.findtext("s:loc", namespaces=NS) == location
    ]
    return url


def alternates(url):
    return {link.get("hreflang"): link.get("href") for link in url.iterfind("xhtml:link", NS)}


def test_index_lists_each_editions_sections_that_have_pages(client):
    make_article(codes=("en", "ru"), category=make_category(codes=("en", "ru")))
    index = xml(client, "/sitemap.xml", INDEX)
    sections = {path(loc) for loc in locs(index)}
    assert {"/sitemap-articles-en.xml", "/sitemap-articles-ru.xml"} <= sections
    assert {"/sitemap-categories-en.xml", "/sitemap-categories-ru.xml"} <= sections
    assert "/sitemap-articles-kk.xml" not in sections  # nothing written in Kazakh yet
    assert "/sitemap-categories-kk.xml" not in sections
    for loc in locs(index):
        xml(client, path(loc), URLSET)


def test_article_sitemap_links_each_article_to_its_other_editions(client):
    both = make_article(codes=("en", "ru", "kk-latn"), slug="both")
    english_only = make_article(codes=("en",), slug="alone")
    make_article(codes=("ru",))
    make_article(codes=("en",), status=Article.Status.DRAFT)
    make_article(codes=("en",), published_at=timezone.now() + timedelta(days=1))

    sitemap = xml(client, "/sitemap-articles-en.xml", URLSET)
    both_url = f"http://testserver/en/article/{both.pk}-both/"
    alone_url = f"http://testserver/en/article/{english_only.pk}-alone/"
    assert sorted(locs(sitemap)) == sorted([both_url, alone_url])
    assert alternates(entry(sitemap, both_url)) == {
        "en": both_url,
        "ru": f"http://testserver/ru/article/{both.pk}-both/",
        "kk-Latn": f"http://testserver/kk-latn/article/{both.pk}-both/",
        "x-default": both_url,
    }
    assert alternates(entry(sitemap, alone_url)) == {}
    both.refresh_from_db()
    lastmod = entry(sitemap, both_url).findtext("s:lastmod", namespaces=NS)
    assert lastmod == timezone.localtime(both.updated_at).isoformat(timespec="seconds")


def test_x_default_falls_back_to_the_first_edition_that_has_the_article(client):
    article = make_article(codes=("kk", "uz"), slug="no-english")
    sitemap = xml(client, "/sitemap-articles-uz.xml", URLSET)
    (url,) = sitemap.iterfind("s:url", NS)
    assert alternates(url)["x-default"] == f"http://testserver/kk/article/{article.pk}-no-english/"


def test_every_location_and_alternate_in_the_sitemaps_answers(client):
    category = make_category("news", codes=("en", "ru"))
    tag, author = make_tag("senate", codes=("en", "ru")), make_author("adlet", codes=("en", "ru"))
    make_article(codes=("en", "ru"), category=category, tags=[tag], authors=[author])
    urls = set()
    for loc in locs(xml(client, "/sitemap.xml", INDEX)):
        sitemap = xml(client, path(loc), URLSET)
        urls.update(locs(sitemap))
        for url in sitemap.iterfind("s:url", NS):
            urls.update(alternates(url).values())
    assert len(urls) == 8  # article, category, tag, author in two editions
    for url in urls:
        assert client.get(path(url)).status_code == 200, url


def test_subject_sitemaps_list_what_is_named_in_the_edition_dated_by_newest_article(client):
    shared = make_category("shared", codes=("en", "ru"))
    make_category("english", codes=("en",))
    older = make_article(codes=("ru",), category=shared)
    newer = make_article(codes=("ru",), category=shared)
    Article.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timedelta(days=3))
    newer.refresh_from_db()

    sitemap = xml(client, "/sitemap-categories-ru.xml", URLSET)
    assert locs(sitemap) == ["http://testserver/ru/category/shared/"]
    (url,) = sitemap.iterfind("s:url", NS)
    assert url.findtext("s:lastmod", namespaces=NS) == timezone.localtime(
        newer.updated_at
    ).isoformat(timespec="seconds")
    assert set(alternates(url)) == {"en", "ru", "x-default"}

    english = xml(client, "/sitemap-categories-en.xml", URLSET)
    assert set(locs(english)) == {
        "http://testserver/en/category/shared/",
        "http://testserver/en/category/english/",
    }
    assert entry(english, "http://testserver/en/category/english/").find("s:lastmod", NS) is None


@pytest.mark.parametrize("kind, make", [("tags", make_tag), ("authors", make_author)])
def test_tag_and_author_sitemaps(client, kind, make):
    subject = make(codes=("en", "kk-arab"))
    other = make(codes=("ru",))
    make(codes=("kk-arab",))  # named there, but no published article carries it
    make_article(codes=("en", "kk-arab", "ru"), **{kind: [subject, other]})
    sitemap = xml(client, f"/sitemap-{kind}-kk-arab.xml", URLSET)
    with_url = f"http://testserver/kk-arab/{kind[:-1]}/{subject.slug}/"
    assert locs(sitemap) == [with_url]
    assert alternates(entry(sitemap, with_url))["kk-Arab"] == with_url


def test_sitemap_pages_hold_at_most_50000_urls(client, monkeypatch):
    assert ArticleSitemap.limit == 50_000
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(5):
        make_article()
    index = xml(client, "/sitemap.xml", INDEX)
    pages = [path(loc) for loc in locs(index) if "articles-en" in loc]
    assert len(pages) >= 3
    on_pages = [locs(xml(client, page, URLSET)) for page in pages]
    assert all(1 <= len(on_page) <= 2 for on_page in on_pages)
    seen = [loc for on_page in on_pages for loc in on_page]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap-articles-xx.xml",
        "/sitemap-nothing.xml",
        "/sitemap-articles-en.xml?p=9",
        "/sitemap-articles-en.xml?p=abc",
        "/news-sitemap-xx.xml",
    ],
)
def test_bad_sitemap_addresses_are_not_found(client, url):
    make_article()
    assert client.get(url).status_code == 404


def test_news_sitemap_lists_the_last_two_days_per_edition(client):
    fresh = make_article("Fresh", codes=("en", "zh-hans"), slug="fresh")
    make_article("Old", codes=("en",), published_at=timezone.now() - timedelta(days=3))
    make_article("Draft", codes=("en",), status=Article.Status.DRAFT)

    index = xml(client, "/news-sitemap.xml", INDEX)
    assert sorted(path(loc) for loc in locs(index)) == [
        "/news-sitemap-en.xml",
        "/news-sitemap-zh-hans.xml",
    ]
    english = xml(client, "/news-sitemap-en.xml", URLSET)
    assert locs(english) == [f"http://testserver/en/article/{fresh.pk}-fresh/"]
    news = english.find("s:url/news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Kazinform"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == fresh.title_en
    assert news.findtext("news:publication_date", namespaces=NS) == timezone.localtime(
        fresh.published_at
    ).isoformat(timespec="seconds")

    chinese = xml(client, "/news-sitemap-zh-hans.xml", URLSET)
    assert chinese.findtext(".//news:language", namespaces=NS) == "zh-cn"
    assert chinese.findtext(".//news:title", namespaces=NS) == fresh.title_zh_hans


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/sitemap-articles-en.xml", "/news-sitemap.xml", "/news-sitemap-en.xml"]
)
def test_sitemaps_answer_conditional_get(client, url):
    article = make_article()
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() + timedelta(seconds=2))
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("kind", ["categories", "tags", "authors"])
def test_renaming_a_subject_changes_its_sitemaps_etag(client, kind):
    category = make_category("politics", codes=("en",))
    tag, author = make_tag("senate", codes=("en",)), make_author("adlet", codes=("en",))
    make_article(codes=("en", "ru"), category=category, tags=[tag], authors=[author])
    url = f"/sitemap-{kind}-en.xml"
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    # Renamed: a new address, and a name in a second edition (a new alternate).
    subject = {"categories": category, "tags": tag, "authors": author}[kind]
    subject.slug = "renamed"
    subject.name_ru = "Переименовано"
    subject.save()

    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    document = etree.fromstring(response.content)
    (location,) = locs(document)
    prefix = {"categories": "category", "tags": "tag", "authors": "author"}[kind]
    assert path(location) == f"/en/{prefix}/renamed/"
    assert set(alternates(entry(document, location))) == {"en", "ru", "x-default"}


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        "/sitemap-articles-en.xml",
        "/sitemap-categories-en.xml",
        "/sitemap-tags-en.xml",
        "/sitemap-authors-en.xml",
        "/news-sitemap.xml",
        "/news-sitemap-en.xml",
    ],
)
def test_sitemap_queries_do_not_grow_with_the_number_of_articles(client, url):
    # The index counts every page at its first render, and then only pages that changed
    # (news.sitemap_census): the renders compared are later ones.
    make_article()
    assert client.get(url).status_code == 200
    counts = []
    for added in (3, 12):
        for _ in range(added):
            make_article(
                codes=("en", "ru"),
                category=make_category(),
                tags=[make_tag()],
                authors=[make_author()],
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    assert "Sitemap: http://testserver/news-sitemap.xml" in text.splitlines()
    for code in ("en", "kk-arab"):
        for section in ("admin", "search", "preview"):
            assert f"Disallow: /{code}/{section}/" in text


def census_plan(pages=None):
    """PostgreSQL's plan of the article census's one query (of `pages`, or of every page),
    whatever the planner would choose for tables this small without an index."""
    make_article(codes=("en", "ru"))
    with CaptureQueriesContext(connection) as queries:
        KeptCensus(ArticleSitemap).count(timezone.now(), pages=pages)
    (census,) = queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + census["sql"])
        return "\n".join(line for (line,) in cursor.fetchall())


def test_on_postgresql_the_article_census_is_read_from_an_index_alone():
    """At a million articles the sitemap index counts each edition's published articles at
    every content change: from the index that carries each article's editions and update,
    never from the table (1.6 GB of it)."""
    if connection.vendor != "postgresql":
        pytest.skip("index-only scans are PostgreSQL's")
    plan = census_plan()
    # Either index that carries them will do: the whole census reads every published row.
    assert re.search(r"Index Only Scan using article_(status_published|published_number)", plan), (
        plan
    )
    assert "Seq Scan" not in plan, plan


def test_on_postgresql_pages_counted_again_are_read_from_their_own_ranges_of_an_index():
    """After a save the census counts again only the pages it touched: each from its own
    range of numbers in the index that carries what it reads, not from a scan of every
    published article's entry (300 ms at a million articles)."""
    if connection.vendor != "postgresql":
        pytest.skip("index-only scans are PostgreSQL's")
    plan = census_plan(pages={1, 21})
    scans = re.findall(
        r"Index Only Scan using article_published_number.*\n\s+Index Cond: (.*)", plan
    )
    assert len(scans) == 2, plan
    assert all("id >=" in bound and "id <" in bound for bound in scans), plan
