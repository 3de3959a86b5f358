"""Query budgets of reader pages, with 50 or 500 articles in the database.

Measured on a page-cache miss with the site-wide fragments (navigation, phone,
widgets, popular list) already cached, as they are on a running site: these
are shared by every page and kept for minutes. An article page is measured
with its own parts kept (news.article_parts), as after a publication, and rendered
whole. A fully cold render is also bounded, a few queries higher.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import bump_generation, bump_labels_generation
from news.models import Article, DailyViews
from tests.builders import (
    make_article,
    make_author,
    make_category,
    make_gallery,
    make_live_coverage,
    make_live_entry,
    make_tag,
    make_video,
)

pytestmark = pytest.mark.django_db

BUDGETS = {
    "home": 7,
    "category": 6,
    "tag": 3,
    "author": 3,
    "search": 10,
    "article": 2,
    "article, rendered whole": 4,
}


def fill(count):
    """`count` articles in English and Russian over two nested categories, with tags and views."""
    news = make_category("news")
    parliament = make_category("parliament", parent=news)
    tags = [make_tag("senate"), make_tag("russia")]
    author = make_author("adlet")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            slug=f"story-{n}",
            category=parliament if n % 2 else news,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
            title_en=f"Senate story {n}",
            body_en="<p>Body</p>",
            title_ru=f"Сенат {n}",
            body_ru="<p>Текст</p>",
        )
        for n in range(count)
    )
    ids = list(Article.objects.values_list("pk", flat=True))
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article_id=pk, tag_id=tags[pk % 2].pk) for pk in ids
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article_id=pk, author_id=author.pk) for pk in ids
    )
    DailyViews.objects.bulk_create(
        DailyViews(article_id=pk, edition="en", day=timezone.localdate(), count=pk)
        for pk in ids[:30]
    )
    featured = make_article("Featured", category=news, tags=tags, authors=[author], featured=True)
    return featured


def urls(article):
    return {
        "home": "/en/",
        "category": "/en/category/news/",
        "tag": "/en/tag/senate/",
        "author": "/en/author/adlet/",
        "search": "/en/search/?q=senate",
        "article": article.get_absolute_url(),
    }


def queries_for(client, url, whole=False):
    client.get(url)  # fills the shared fragments
    bump_generation()  # forgets rendered pages and fragments alike…
    client.get("/en/no-such-page/")  # …so refill the shared fragments through another page
    if whole:
        bump_labels_generation()  # …and forget an article's kept parts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [50, 500])
def test_reader_pages_stay_within_their_query_budgets(client, count):
    article = fill(count)
    measured = {page: queries_for(client, url) for page, url in urls(article).items()}
    measured["article, rendered whole"] = queries_for(client, urls(article)["article"], whole=True)
    over = {page: n for page, n in measured.items() if n > BUDGETS[page]}
    assert not over, measured


def test_budgets_do_not_grow_with_the_number_of_articles(client):
    article = fill(50)
    small = {page: queries_for(client, url) for page, url in urls(article).items()}
    fill_more = [
        make_article(category=article.category, tags=article.tags.all()) for _ in range(30)
    ]
    assert fill_more
    large = {page: queries_for(client, url) for page, url in urls(article).items()}
    assert small == large


def test_fully_cold_render_is_bounded_too(client):
    article = fill(50)
    for page, url in urls(article).items():
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # With the cache emptied, an article's parts are gone too: it is rendered whole.
        budget = BUDGETS.get(f"{page}, rendered whole", BUDGETS[page])
        assert len(queries) <= budget + 8, (page, len(queries))


def test_an_articles_video_and_live_coverage_come_with_the_article_itself(client):
    """Its video and coverage cost no query of their own: a page with both asks only for
    the coverage's entries beyond a plain article's budget, and one with a gallery placed
    in it for the galleries and their photos besides. Such a page is rendered whole each
    time (its parts change without a save of the article), so it is compared with a
    plain article rendered whole."""
    article = fill(50)
    assert queries_for(client, article.get_absolute_url()) == BUDGETS["article"]
    plain = queries_for(client, article.get_absolute_url(), whole=True)
    make_video(article)
    with_video = queries_for(client, article.get_absolute_url())
    make_live_entry(make_live_coverage(article), text="Unfolding")
    page = client.get(article.get_absolute_url())
    assert "Unfolding" in page.content.decode() and "youtube" in page.content.decode()
    with_live = queries_for(client, article.get_absolute_url())
    make_gallery(photos=2, article=article)
    with_gallery = queries_for(client, article.get_absolute_url())
    whole = BUDGETS["article, rendered whole"]
    assert (plain, with_video, with_live, with_gallery) == (whole, whole, whole + 1, whole + 3)


def test_on_postgresql_no_query_waits_for_jit_compilation():
    """PostgreSQL would compile a query it guesses costly at every run (100–900 ms at a
    million articles, for queries that run in tens of milliseconds)."""
    if connection.vendor != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_on_postgresql_a_page_asked_again_runs_its_queries_on_kept_plans(client, settings):
    """Values are bound by the server, so each kind of query has one text, which the
    connection prepares after a few runs: PostgreSQL stops planning it again."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    settings.PAGE_CACHE_SECONDS = 0
    articles = [make_article(f"Article {number}") for number in range(8)]
    for article in articles:
        assert client.get(article.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any('FROM "news_article"' in text and "$1" in text for text in prepared), prepared


@pytest.mark.parametrize("page", ["article", "home", "category", "tag", "author", "feed"])
def test_a_page_reads_no_other_editions_texts(client, page):
    """Another edition's title or body is never shown, and seven bodies are most of an
    article's row: a page of the English edition reads the English texts only, and its
    edition switcher still knows that the article exists in Russian."""
    article = fill(50)
    article.title_ru, article.body_ru = "Избранное", "<p>Текст</p>"
    article.save()
    url = {**urls(article), "feed": "/en/rss/"}[page]
    client.get(url)
    bump_generation()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    read = " ".join(query["sql"] for query in queries if 'FROM "news_article"' in query["sql"])
    assert '"news_article"."title_en"' in read
    for column in ("title_ru", "body_ru", "lead_ru", "title", "body", "admin_search"):
        assert f'"news_article"."{column}",' not in read
    if page == "article":
        assert 'hreflang="ru"' in response.content.decode()
