"""What a reader sees on the home, article, category, tag, author and search pages."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_article_page_shows_everything_of_the_reference_layout(client):
    news = make_category("news", name="News")
    parliament = make_category("parliament", parent=news, name="Parliament")
    author = make_author("adlet", name="Adlet Seilkhanov")
    senate = make_tag("senate", name="Senate")
    article = make_article(
        "Speaker meets ambassador",
        category=parliament,
        tags=[senate],
        authors=[author],
        published_at=datetime(2021, 4, 23, 16, 38, tzinfo=ALMATY),
        dateline_city_en="Nur-Sultan",
        image_caption_en="The meeting",
        image_credit_en="Photo: Kazinform",
    )
    html = page(client, article.get_absolute_url())
    assert "<h1>Speaker meets ambassador" in html
    assert "23 April 2021, 16:38" in html
    assert "NUR-SULTAN. KAZINFORM –" in html
    assert 'href="/en/category/news/">News [en]</a>' in html
    assert 'href="/en/category/parliament/">Parliament [en]</a>' in html
    assert f'href="{author.get_absolute_url()}" rel="author">Adlet Seilkhanov [en]' in html
    assert f'href="{senate.get_absolute_url()}" rel="tag">Senate [en]' in html
    assert "https://t.me/share/url?url=" in html


def test_times_follow_almatys_historical_offsets(client):
    before = make_article(published_at=datetime(2021, 4, 23, 10, 38, tzinfo=UTC))  # UTC+6 then
    after = make_article(
        published_at=datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
    )  # UTC+5 since March 2024
    assert "23 April 2021, 16:38" in page(client, before.get_absolute_url())
    assert "1 June 2024, 15:00" in page(client, after.get_absolute_url())


def test_russian_dates_use_the_genitive_month(client):
    article = make_article(
        codes=("en", "ru"), published_at=datetime(2021, 4, 23, 16, 38, tzinfo=ALMATY)
    )
    html = page(client, f"/ru/article/{article.pk}-{article.slug}/")
    assert "23 апреля 2021 г., 16:38" in html


def test_wrong_slug_redirects_permanently_to_the_canonical_url(client):
    article = make_article(slug="right-slug")
    for url in (f"/en/article/{article.pk}-wrong-slug/", f"/en/article/{article.pk}/"):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == f"/en/article/{article.pk}-right-slug/"


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_drafts_and_scheduled_articles_are_not_found(client, state):
    article = make_article(**state)
    page(client, article.get_absolute_url(), status=404)


def test_article_missing_in_an_edition_is_not_found_there(client):
    article = make_article(codes=("en",))
    page(client, f"/ru/article/{article.pk}-{article.slug}/", status=404)


def test_home_lists_only_the_editions_articles(client):
    english = make_article("English story", codes=("en",))
    kazakh = make_article("Kazakh story", codes=("kk",))
    html = page(client, "/kk/")
    assert kazakh.title_kk in html
    assert "English story" not in html
    assert english.title_en in page(client, "/en/")


def test_home_has_lead_top_stories_latest_and_category_blocks(client):
    sport = make_category("sport", name="Sport")
    featured = make_article("Featured", featured=True, category=sport)
    others = [make_article("Story", category=sport) for _ in range(6)]
    html = page(client, "/en/")
    assert 'class="lead-story"' in html and featured.title_en in html
    assert "Top stories" in html and "Latest news" in html
    assert 'id="block-sport"' in html
    assert all(a.title_en in html for a in others)


def test_category_page_lists_its_and_its_subcategories_articles_newest_first(client):
    news = make_category("news", name="News")
    parliament = make_category("parliament", parent=news, name="Parliament")
    old = make_article("Old", category=news, published_at=timezone.now() - timedelta(days=2))
    new = make_article("New", category=parliament)
    make_article("Elsewhere")
    html = page(client, "/en/category/news/")
    assert html.index(new.title_en) < html.index(old.title_en)
    assert "Elsewhere" not in html
    assert 'href="/en/category/parliament/"' in html  # sub-category link


def test_category_breadcrumbs_go_through_the_parents(client):
    news = make_category("news", name="News")
    make_category("parliament", parent=news, name="Parliament")
    html = page(client, "/en/category/parliament/")
    crumbs = html[html.index('class="breadcrumbs"') :]
    assert crumbs.index("Main Page") < crumbs.index("News [en]") < crumbs.index("Parliament [en]")


@pytest.mark.parametrize("bad_page", ["0", "-1", "abc", "99", "1e3", "9" * 40])
def test_bad_page_numbers_answer_not_found(client, bad_page):
    category = make_category("news")
    make_article(category=category)
    page(client, f"/en/category/news/?page={bad_page}", status=404)


def test_pagination_splits_long_lists(client):
    category = make_category("news")
    for _ in range(25):
        make_article(category=category)
    first = page(client, "/en/category/news/")
    assert "Page 1" in first and 'rel="next" href="?page=2"' in first
    second = page(client, "/en/category/news/?page=2")
    assert "Page 2" in second and 'rel="next"' not in second
    page(client, "/en/category/news/?page=3", status=404)


def test_listings_never_count_the_table(client):
    category = make_category("news")
    for _ in range(25):
        make_article(category=category)
    client.get("/en/category/news/")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page(client, "/en/category/news/")
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_category_not_in_the_edition_is_not_found(client):
    make_category("local", codes=("kk",))
    page(client, "/en/category/local/", status=404)
    page(client, "/kk/category/local/")


def test_tag_and_author_pages_list_their_articles(client):
    tag, author = make_tag("senate", name="Senate"), make_author("adlet", name="Adlet")
    tagged = make_article("Tagged", tags=[tag], authors=[author])
    make_article("Untagged")
    for url in ("/en/tag/senate/", "/en/author/adlet/"):
        html = page(client, url)
        assert tagged.title_en in html
        assert "Untagged" not in html


def test_search_finds_words_in_the_edition(client):
    make_article("Senate speaker meets ambassador", codes=("en",))
    make_article("Football final", codes=("en",))
    html = page(client, "/en/search/?q=ambassador")
    assert "Senate speaker meets <mark>ambassador</mark>" in html
    assert "Football final" not in html


@pytest.mark.parametrize(
    "query", ["", "  ", "a", "%", "x" * 5000, "'; DROP TABLE news_article; --", "\x00"]
)
def test_empty_or_absurd_searches_get_a_helpful_page(client, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_article_page_query_budget(client, django_assert_max_num_queries):
    tag = make_tag()
    article = make_article(tags=[tag], authors=[make_author()])
    for _ in range(10):
        make_article(tags=[tag])
    client.get(article.get_absolute_url())  # creates the settings rows on first use
    cache.clear()  # measure a cold render: page, navigation, settings, widgets, popular
    # 11 for the article and the page around it (related news in one), +1 for its live
    # coverage, +1 for its video and galleries, +1 for the edition's breaking news (a
    # cached fragment, cold here).
    with django_assert_max_num_queries(14):
        page(client, article.get_absolute_url())


def test_listing_query_budget_does_not_grow_with_the_list(client):
    category = make_category("news")
    for _ in range(3):
        make_article(category=category, authors=[make_author()])
    page(client, "/en/category/news/")
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        page(client, "/en/category/news/")
    for _ in range(15):
        make_article(category=category, authors=[make_author()])
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page(client, "/en/category/news/")
    assert len(many) == len(few) <= 14


def test_deep_pagination_is_capped_with_a_pointer_to_search(client, monkeypatch):
    from news import pagination

    monkeypatch.setattr(pagination, "MAX_PAGES", 2)
    category = make_category("news")
    for _ in range(45):
        make_article(category=category)
    assert "Page 1" in page(client, "/en/category/news/")
    last = page(client, "/en/category/news/?page=2")
    assert 'rel="next"' not in last
    assert 'href="/en/search/"' in last.split('class="pagination"')[1]
    page(client, "/en/category/news/?page=3", status=404)
