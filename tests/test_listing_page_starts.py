"""Deep pages of a category, tag or author listing read from where they start (kept
until content changes) instead of walking every newer article: readers see the
same pages as before, whatever changes between two requests."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import pagination
from news.models import Article
from news.views import ArticleListView
from tests.builders import make_article, make_category, make_tag
from tests.caching import redis_cache

pytestmark = pytest.mark.django_db

PER_PAGE = 2


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    # Three pages' starts per walk, two articles a page: a dozen articles span several walks.
    monkeypatch.setattr(ArticleListView, "paginate_by", PER_PAGE)
    monkeypatch.setattr(pagination, "PAGES_PER_WALK", 3)


def titles_on(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return re.findall(r"<h2><a [^>]*>(.*?)</a></h2>", response.content.decode())


def expected_pages(articles):
    """The pages as OFFSET reads them: newest first, the higher id first on a tie."""
    ordered = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    titles = [article.title_en for article in ordered]
    return [titles[i : i + PER_PAGE] for i in range(0, len(titles), PER_PAGE)]


def tagged_articles(tag, count, now):
    # Pairs published at the same second: the order between them is the id's.
    return [
        make_article(
            f"Story {number}", tags=[tag], published_at=now - timedelta(minutes=number // 2)
        )
        for number in range(count)
    ]


def test_every_page_is_the_one_offset_would_read(client):
    tag = make_tag("economy")
    articles = tagged_articles(tag, 15, timezone.now() - timedelta(hours=1))
    make_article("Untagged", published_at=timezone.now() - timedelta(minutes=90))
    pages = expected_pages(articles)
    assert len(pages) == 8
    # Deepest first, so the walks are found from nothing, then every page again.
    for number in [8, 1, 2, 3, 4, 5, 6, 7, 8]:
        assert titles_on(client, f"/en/tag/economy/?page={number}") == pages[number - 1]
    titles_on(client, "/en/tag/economy/?page=9", status=404)
    titles_on(client, "/en/tag/economy/?page=20", status=404)


@pytest.mark.parametrize("count", [1, 2, 3, 7, 8, 9, 14, 15, 16])
def test_a_listing_of_any_length_ends_where_offset_ends(client, settings, count):
    """At and around the ends of pages and of runs of pages (2 a page, 3 pages a run)."""
    settings.PAGE_CACHE_SECONDS = 0  # each page read from what the listing keeps
    tag = make_tag("economy")
    articles = tagged_articles(tag, count, timezone.now() - timedelta(hours=1))
    pages = expected_pages(articles)
    for _ in range(2):  # found from nothing, then from what was kept
        for number, titles in enumerate(pages, start=1):
            assert titles_on(client, f"/en/tag/economy/?page={number}") == titles
        titles_on(client, f"/en/tag/economy/?page={len(pages) + 1}", status=404)


def test_a_deep_page_is_one_query_from_its_start_once_the_starts_are_known(client):
    category = make_category("business")
    now = timezone.now() - timedelta(hours=1)
    for number in range(14):
        make_article(
            f"Item {number}", category=category, published_at=now - timedelta(hours=number)
        )
    titles_on(client, "/en/category/business/?page=7")  # finds and keeps the starts
    with CaptureQueriesContext(connection) as queries:
        titles = titles_on(client, "/en/category/business/?page=6")
    assert [title.split()[1] for title in titles] == ["10", "11"]
    listing = [q["sql"] for q in queries if 'FROM "news_article"' in q["sql"]]
    assert len(listing) == 1 and "OFFSET" not in listing[0].upper(), listing


@pytest.mark.parametrize("number", [1, 3])
def test_a_kept_page_of_a_tag_is_read_by_its_articles_keys(client, settings, number):
    """Once a tag's page is known, its articles are read by their keys: the tag's own
    query passes over every newer article of the edition to find its few."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered each time, from what the page keeps
    tag = make_tag("senate")
    articles = tagged_articles(tag, 7, timezone.now() - timedelta(hours=1))
    for other in range(5):
        make_article(f"Other {other}", published_at=timezone.now() - timedelta(minutes=30))
    url = f"/en/tag/senate/?page={number}"
    titles_on(client, url)  # finds and keeps the page
    with CaptureQueriesContext(connection) as queries:
        titles = titles_on(client, url)
    assert titles == expected_pages(articles)[number - 1]
    listing = [q["sql"] for q in queries if 'FROM "news_article"' in q["sql"]]
    assert len(listing) == 1, listing
    assert "news_article_tags" not in listing[0] and '"news_article"."id" IN' in listing[0]


def test_a_newly_published_article_moves_every_page(client):
    tag = make_tag("energy")
    articles = tagged_articles(tag, 7, timezone.now() - timedelta(hours=2))
    titles_on(client, "/en/tag/energy/?page=3")
    articles.append(make_article("Breaking", tags=[tag]))  # newest: every page shifts by one
    for number, titles in enumerate(expected_pages(articles), start=1):
        assert titles_on(client, f"/en/tag/energy/?page={number}") == titles


def test_an_unpublished_article_leaves_its_page_and_the_later_ones_close_up(client):
    tag = make_tag("water")
    articles = tagged_articles(tag, 9, timezone.now() - timedelta(hours=2))
    titles_on(client, "/en/tag/water/?page=4")
    gone = articles.pop(1)
    gone.status = Article.Status.UNPUBLISHED
    gone.save()
    for number, titles in enumerate(expected_pages(articles), start=1):
        assert titles_on(client, f"/en/tag/water/?page={number}") == titles


def assert_pages_move_when_it_comes_out(client, url, articles, scheduled, now):
    """Every page of `url` lists `articles` at `now`, and `scheduled` among them once it
    has come out (it is due within ten minutes of `now`)."""
    with time_machine.travel(now, tick=False):
        for number, titles in enumerate(expected_pages(articles), start=1):
            assert titles_on(client, f"{url}?page={number}") == titles
    with time_machine.travel(now + timedelta(minutes=11), tick=False):
        for number, titles in enumerate(expected_pages([*articles, scheduled]), start=1):
            assert titles_on(client, f"{url}?page={number}") == titles


def test_a_scheduled_article_coming_out_moves_every_page(client):
    now = timezone.now()
    tag = make_tag("budget")
    articles = tagged_articles(tag, 6, now - timedelta(hours=2))
    scheduled = make_article("Scheduled", tags=[tag], published_at=now + timedelta(minutes=10))
    # Nothing is saved when its time comes: the kept starts expire by themselves.
    assert_pages_move_when_it_comes_out(client, "/en/tag/budget/", articles, scheduled, now)


def reads_of_what_is_kept(client, url):
    """The queries for `url` that read the tag itself or walk to where pages start."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [
        query["sql"]
        for query in queries
        if 'FROM "news_tag"' in query["sql"]
        or query["sql"].startswith('SELECT "news_article"."published_at" AS "published_at", ')
    ]


def test_another_subjects_article_coming_out_leaves_this_ones_pages_kept(client, settings):
    """What a tag page keeps (the tag, where its pages start) expires when one of its own
    scheduled articles comes out, not when any article does: a newsroom schedules all
    day, and every listing read again after each would be read cold."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered each time, from what the page keeps
    now = timezone.now()
    tag = make_tag("budget")
    tagged_articles(tag, 8, now - timedelta(hours=2))
    make_article("Other", tags=[make_tag("sport")], published_at=now + timedelta(minutes=4))
    with time_machine.travel(now, tick=False):
        assert reads_of_what_is_kept(client, "/en/tag/budget/?page=3")
        assert not reads_of_what_is_kept(client, "/en/tag/budget/?page=3")
    # Within the ten minutes anything is kept at most.
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        assert not reads_of_what_is_kept(client, "/en/tag/budget/?page=3")


def test_a_subcategorys_scheduled_article_coming_out_moves_its_parents_pages(client):
    now = timezone.now()
    world = make_category("world")
    asia = make_category("asia", parent=world)
    articles = [
        make_article(f"Item {number}", category=world, published_at=now - timedelta(hours=number))
        for number in range(1, 6)
    ]
    scheduled = make_article("Later", category=asia, published_at=now + timedelta(minutes=10))
    assert_pages_move_when_it_comes_out(client, "/en/category/world/", articles, scheduled, now)


def test_with_the_cache_down_deep_pages_are_still_right(client, settings):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there
    tag = make_tag("housing")
    articles = tagged_articles(tag, 9, timezone.now() - timedelta(hours=2))
    for number, titles in enumerate(expected_pages(articles), start=1):
        assert titles_on(client, f"/en/tag/housing/?page={number}") == titles
    titles_on(client, "/en/tag/housing/?page=6", status=404)


def test_categories_with_and_without_subcategories_each_list_their_own_articles(client):
    # The pages' queries are built once per worker and number of categories listed: a
    # category of three must not be read with the query built for a category of one.
    now = timezone.now() - timedelta(hours=1)
    world = make_category("world")
    asia = make_category("asia", parent=world)
    china = make_category("china", parent=asia)
    sport = make_category("sport")
    stories = {}
    for number, category in enumerate([world, asia, china, sport, china, sport, world]):
        stories[number] = make_article(
            f"Item {number}", category=category, published_at=now - timedelta(hours=number)
        )
    for _ in range(2):  # the second time, with the starts kept and the queries built
        assert (
            titles_on(client, "/en/category/sport/") == expected_pages([stories[3], stories[5]])[0]
        )
        world_pages = expected_pages([a for n, a in stories.items() if n not in (3, 5)])
        for number, titles in enumerate(world_pages, start=1):
            assert titles_on(client, f"/en/category/world/?page={number}") == titles
        asia_pages = expected_pages([stories[1], stories[2], stories[4]])
        assert titles_on(client, "/en/category/asia/?page=2") == asia_pages[1]
        assert (
            titles_on(client, "/en/category/china/") == expected_pages([stories[2], stories[4]])[0]
        )


@pytest.mark.parametrize(
    "page", ["abc", "0", "-1", "²", "٣", "1e9", "99999999999999999999", "9" * 5000, "last"]
)
def test_a_junk_page_number_is_a_404_or_a_page_never_an_error(client, page):
    make_article("Story", tags=[make_tag("economy")])
    response = client.get("/en/tag/economy/", {"page": page})
    assert response.status_code in (200, 404), page
