"""The sitemap index's census of article pages, kept as articles change instead of
counted at every change (news.sitemap_census): always what a fresh count finds."""

import io
import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache as django_cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.editions import bit
from news.models import Article, StoredCensus
from news.sitemap_census import KEEP_SECONDS, LOOKBACK, KeptCensus
from news.sitemaps import ArticleSitemap
from tests.builders import make_article
from tests.caching import redis_cache

pytestmark = pytest.mark.django_db

CODES = ("en", "ru", "kk", "kk-latn", "kk-arab", "uz", "zh-hans")
START = datetime(2031, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def census(monkeypatch):
    """The articles' census, with pages of three ids so that a few articles fill several."""
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    with time_machine.travel(START, tick=False) as clock:
        kept = KeptCensus(ArticleSitemap)
        kept.clock = clock
        yield kept


def fresh(census):
    return census.count(timezone.now())


def without_edition(article, code):
    suffix = code.replace("-", "_")
    setattr(article, f"title_{suffix}", "")
    setattr(article, f"body_{suffix}", "")


def test_the_kept_census_is_always_what_a_fresh_count_finds(census):
    walk_at_random(census, random.Random(12))


def test_a_census_started_again_from_the_database_is_what_a_fresh_count_finds(census):
    walk_at_random(census, random.Random(7), cache_emptied=True)


def walk_at_random(census, rng, cache_emptied=False):
    """Change articles at random in every way that changes the census, and see that the
    kept census is what a fresh count finds after each step; with `cache_emptied`, the
    cache also loses everything now and then (the census starts from the database)."""
    articles = [make_article(codes=rng.sample(CODES, rng.randint(1, 3))) for _ in range(10)]
    census.current()

    def create():
        scheduled = rng.random() < 0.3
        published_at = timezone.now() + timedelta(minutes=10 if scheduled else -60)
        articles.append(
            make_article(codes=rng.sample(CODES, rng.randint(1, 4)), published_at=published_at)
        )

    def unpublish(article):
        article.status = Article.Status.DRAFT
        article.save()

    def publish(article):
        article.status = Article.Status.PUBLISHED
        article.save()

    def delete(article):
        articles.remove(article)
        article.delete()

    def drop_an_edition(article):
        without_edition(article, rng.choice(article.editions() or ["en"]))
        article.save()

    def add_an_edition(article):
        code = rng.choice(CODES).replace("-", "_")
        setattr(article, f"title_{code}", f"Title {code}")
        setattr(article, f"body_{code}", f"<p>Body {code}</p>")
        article.save()

    def bulk_unpublish_with_no_signal(article):
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )

    def time_passes():
        census.clock.shift(timedelta(minutes=rng.choice([1, 7, 30])))

    def status_saved_alone(article):
        published = article.status == Article.Status.PUBLISHED
        article.status = Article.Status.DRAFT if published else Article.Status.PUBLISHED
        article.save(update_fields=["status"])

    def empty_the_cache():
        django_cache.clear()

    on_one = [unpublish, publish, delete, drop_an_edition, add_an_edition]
    on_one += [bulk_unpublish_with_no_signal, status_saved_alone]
    others = [create, time_passes] + [empty_the_cache] * 2 * cache_emptied
    for step in range(80):
        action = rng.choice([*others, *on_one])
        if action in on_one and not articles:
            action = create
        if action in on_one:
            article = rng.choice(articles)
            article.refresh_from_db()
            action(article)
        else:
            action()
        assert census.current() == fresh(census), (step, action.__name__)


def test_a_refresh_counts_again_only_the_pages_that_changed(census, monkeypatch):
    articles = [make_article() for _ in range(9)]
    census.current()
    # Rows updated shortly before a count are looked at again (a commit may come late).
    census.clock.shift(LOOKBACK * 2)
    census.current()
    counted = []
    count = census.count
    monkeypatch.setattr(
        census, "count", lambda now, pages=None: counted.append(pages) or count(now, pages)
    )

    census.current()
    assert counted == []  # nothing changed

    edited = articles[4]
    edited.title_en = "Edited"
    edited.save()
    census.current()
    assert counted == [{census.page_of(edited.pk)}]


def test_a_scheduled_article_joins_when_its_time_comes_without_any_save(census):
    make_article()
    scheduled = make_article(codes=("ru",), published_at=timezone.now() + timedelta(hours=1))
    page = census.page_of(scheduled.pk)
    census.clock.shift(LOOKBACK * 2)
    before = census.current()
    assert before == fresh(census)
    assert not any(groups & bit("ru") for groups in before.get(page, {}))

    census.clock.shift(timedelta(hours=1))
    after = census.current()
    assert after == fresh(census)
    assert any(groups & bit("ru") for groups in after[page])


def test_a_page_gets_a_new_version_at_a_save_and_again_at_its_commit(
    census, django_capture_on_commit_callbacks
):
    article = make_article()
    key = census.version_key(census.page_of(article.pk))
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
        at_the_save = django_cache.get(key)
        assert at_the_save is not None
    assert django_cache.get(key) not in (None, at_the_save)


def test_a_change_no_signal_or_update_time_shows_is_counted_within_the_hour(census):
    article = make_article(codes=("en", "ru"))
    census.current()
    census.clock.shift(LOOKBACK * 2)
    census.current()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE news_article SET status = 'draft' WHERE id = %s", [article.pk])
    assert census.current() != fresh(census)  # nothing said it changed

    census.clock.shift(timedelta(seconds=KEEP_SECONDS + 1))
    assert census.current() == fresh(census) == {}


def test_without_the_cache_every_census_is_counted_afresh(census, settings):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there
    article = make_article(codes=("en", "kk"))
    assert census.current() == fresh(census) != {}
    article.delete()
    assert census.current() == fresh(census) == {}


def test_an_emptied_cache_counts_again_only_the_pages_changed_since_the_stored_count(
    census, monkeypatch
):
    articles = [make_article() for _ in range(9)]
    census.clock.shift(LOOKBACK * 2)  # so that the count does not look at them again
    census.current()
    edited = articles[4]
    edited.title_en = "Edited"
    edited.save()
    django_cache.clear()
    counted = []
    count = census.count
    monkeypatch.setattr(
        census, "count", lambda now, pages=None: counted.append(pages) or count(now, pages)
    )

    assert census.current() == fresh(census)
    assert counted == [{census.page_of(edited.pk)}, None]  # the page, then fresh() here


@pytest.mark.parametrize("change", ["deletion", "save of the status alone"])
def test_a_change_update_times_cannot_show_makes_an_emptied_cache_count_everything(census, change):
    articles = [make_article() for _ in range(6)]
    census.current()
    census.clock.shift(LOOKBACK * 2)
    assert census.stored() is not None
    if change == "deletion":
        articles[2].delete()
    else:
        articles[2].status = Article.Status.DRAFT
        articles[2].save(update_fields=["status"])
    assert census.stored() is None

    django_cache.clear()
    assert census.current() == fresh(census)
    assert census.stored() is not None  # counted afresh, and stored again


def test_a_count_a_deletion_overtook_is_not_stored(census, monkeypatch):
    articles = [make_article() for _ in range(3)]
    count = census.count

    def count_while_a_deletion_commits(now, pages=None):
        counted = count(now, pages)
        articles[0].delete()
        return counted

    monkeypatch.setattr(census, "count", count_while_a_deletion_commits)
    census.current()
    assert StoredCensus.objects.get(key=census.key).pages is None
    assert census.stored() is None


def test_count_sitemaps_counts_afresh_so_that_readers_requests_need_not(census, monkeypatch):
    make_article(codes=("en", "ru"))
    census.current()
    census.clock.shift(timedelta(seconds=KEEP_SECONDS - 60))
    out = io.StringIO()
    call_command("count_sitemaps", stdout=out)
    assert "news.Article: 1 sitemap pages counted" in out.getvalue()
    assert census.stored()["pages"] == fresh(census)

    # An hour after the first count, but not after the command's: nothing counted afresh.
    census.clock.shift(timedelta(seconds=120))
    counted = []
    count = census.count
    monkeypatch.setattr(
        census, "count", lambda now, pages=None: counted.append(pages) or count(now, pages)
    )
    pages = census.current()
    assert counted == []
    assert pages == fresh(census)
