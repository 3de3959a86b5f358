"""Querysets built once per worker and edition (core.prepared), run with each call's
values: the same rows as building the queryset afresh, whatever the values."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.prepared import PreparedCount, PreparedQuery, compile_everywhere
from frontpage.models import BreakingNews, FrontPage
from frontpage.templatetags.frontpage import _breaking_now
from news.models import (
    Article,
    ArticleQuerySet,
    Author,
    Category,
    DailyViews,
    EditionQuerySet,
    Tag,
)
from news.templatetags.news import most_read_now
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

EXAMPLE_TIMES = (
    datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC),
)


def published_besides(pk, now):
    """A build that uses `pk` twice and `now` once, in the active edition."""
    return (
        Article.objects.published(now)
        .in_edition()
        .exclude(pk=pk)
        .exclude(category__articles=pk)
        .order_by("published_at", "pk")
        .headlines()
    )


def counting(build):
    """`build`, counting how often it is called."""

    def counted(**values):
        counted.calls += 1
        return build(**values)

    counted.calls = 0
    return counted


def test_every_call_returns_what_building_the_queryset_afresh_returns():
    now = timezone.now()
    articles = [make_article(published_at=now - timedelta(hours=n)) for n in range(6)]
    make_article(published_at=now + timedelta(hours=1))  # scheduled
    prepared = PreparedQuery(Article, published_besides, pk=(1, 2), now=EXAMPLE_TIMES)
    with translation.override("en"):
        for article in articles:
            for moment in (now, now - timedelta(hours=3), now + timedelta(hours=2)):
                expected = list(published_besides(pk=article.pk, now=moment))
                got = prepared(pk=article.pk, now=moment)
                assert got == expected
                assert [a.title for a in got] == [a.title for a in expected]


def test_it_is_built_once_per_edition_and_reads_that_editions_texts():
    article = make_article(codes=("en", "ru"))
    other = make_article(codes=("en", "ru"))
    build = counting(published_besides)
    prepared = PreparedQuery(Article, build, pk=(1, 2), now=EXAMPLE_TIMES)
    now = timezone.now()
    with translation.override("en"):
        assert [a.title for a in prepared(pk=article.pk, now=now)] == [other.title_en]
        built = build.calls
        prepared(pk=other.pk, now=now)
        assert build.calls == built
    with translation.override("ru"):
        assert [a.title for a in prepared(pk=article.pk, now=now)] == [other.title_ru]
        assert build.calls > built


def test_the_columns_converters_are_worked_out_once_and_still_convert(monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    published = [make_article(published_at=timezone.now() - timedelta(hours=n)) for n in (1, 2)]
    prepared = PreparedQuery(Article, published_besides, pk=(1, 2), now=EXAMPLE_TIMES)
    worked_out = []
    real = SQLCompiler.get_converters

    def counting_get_converters(compiler, expressions):
        worked_out.append(len(expressions))
        return real(compiler, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting_get_converters)
    with translation.override("en"):
        for article in published * 3:
            [other] = prepared(pk=article.pk, now=timezone.now())
            # Datetimes come back as aware datetimes on every database.
            assert other.published_at.tzinfo is not None
            assert other.published_at == next(a for a in published if a != article).published_at
    assert len(worked_out) == 1


def test_a_call_is_one_query():
    article = make_article()
    prepared = PreparedQuery(Article, published_besides, pk=(1, 2), now=EXAMPLE_TIMES)
    with translation.override("en"):
        prepared(pk=article.pk, now=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            prepared(pk=article.pk, now=timezone.now())
    assert len(queries) == 1


def test_a_prepared_count_counts_what_its_build_selects_up_to_its_slice():
    now = timezone.now()
    articles = [make_article(published_at=now - timedelta(hours=n)) for n in range(6)]

    def besides_up_to(limit):
        return counting(lambda pk, now: published_besides(pk, now).values("pk")[:limit])

    for limit in (3, 10):
        build = besides_up_to(limit)
        prepared = PreparedCount(Article, build, pk=(1, 2), now=EXAMPLE_TIMES)
        with translation.override("en"):
            prepared(pk=articles[0].pk, now=now)  # compiled: built four times (see examples)
            assert build.calls == 4
            for article in articles[:3]:
                for moment in (now, now - timedelta(hours=3, minutes=30)):
                    expected = build(pk=article.pk, now=moment).count()
                    calls = build.calls
                    with CaptureQueriesContext(connection) as queries:
                        assert prepared(pk=article.pk, now=moment) == expected
                    assert build.calls == calls  # not built again
                    assert len(queries) == 1


def test_a_value_that_changes_the_sqls_shape_is_refused():
    def newest(limit):
        return Article.objects.order_by("-pk")[:limit]

    prepared = PreparedQuery(Article, newest, limit=(1, 2))
    with pytest.raises(ValueError, match="shape depends on the value 'limit'"):
        prepared(limit=3)


def test_a_refused_query_is_left_out_of_the_warm_up():
    def newest(limit):
        return Article.objects.order_by("-pk")[:limit]

    refused = PreparedQuery(Article, newest, limit=(1, 2))
    with pytest.raises(ValueError):
        refused(limit=3)

    compile_everywhere()  # what core.warmup runs: it must not raise the refusal again
    assert refused._compiled == {}


def test_a_value_the_sql_does_not_carry_is_refused():
    prepared = PreparedQuery(Article, lambda pk: Article.objects.all(), pk=(1, 2))
    with pytest.raises(ValueError, match="'pk' is not a parameter"):
        prepared(pk=3)


def test_a_parameter_computed_from_a_value_is_refused():
    prepared = PreparedQuery(Article, lambda pk: Article.objects.filter(pk__gt=pk + 1), pk=(1, 2))
    with pytest.raises(ValueError, match="computed from the value 'pk'"):
        prepared(pk=3)


def test_calls_name_exactly_the_values_of_the_build():
    prepared = PreparedQuery(Article, published_besides, pk=(1, 2), now=EXAMPLE_TIMES)
    with pytest.raises(TypeError, match="expected the values"):
        prepared(pk=1)


def test_an_articles_tags_and_authors_read_ahead_answer_without_a_query():
    tags = [make_tag(slug=slug) for slug in ("zebra", "alpha", "mid")]
    authors = [make_author(slug=slug) for slug in ("b-author", "a-author")]
    article = make_article(tags=tags, authors=authors)
    fresh = Article.objects.get(pk=article.pk)
    expected_tags, expected_authors = list(fresh.tags.all()), list(fresh.authors.all())

    page = Article.objects.get(pk=article.pk)
    with translation.override("en"):
        page.read_tags_and_authors()
    with CaptureQueriesContext(connection) as queries:
        assert list(page.tags.all()) == expected_tags
        assert list(page.authors.all()) == expected_authors
    assert len(queries) == 0
    assert [tag.slug for tag in expected_tags] == ["alpha", "mid", "zebra"]


def test_a_build_that_reads_the_clock_is_refused():
    # Its time would be kept in the SQL: the build must take the moment as a value.
    prepared = PreparedQuery(
        Article, lambda pk: Article.objects.published().filter(pk=pk), pk=(1, 2)
    )
    with pytest.raises(ValueError, match="changes between two builds"):
        prepared(pk=3)


def test_an_articles_page_comes_with_its_category_path_in_one_query():
    top = make_category(slug="world")
    middle = make_category(slug="asia", parent=top)
    article = make_article(category=make_category(slug="central-asia", parent=middle))
    with translation.override("en"):
        Article.page_for_readers(article.pk)
        with CaptureQueriesContext(connection) as queries:
            page = Article.page_for_readers(article.pk)
            path = [category.slug for category in [*page.category.ancestors(), page.category]]
            editions, has_galleries = page.editions(), page.has_galleries
    assert len(queries) == 1
    assert path == ["world", "asia", "central-asia"]
    assert (page.pk, page.title, editions, has_galleries) == (
        article.pk,
        article.title,
        ["en"],
        False,
    )


def test_an_article_readers_cannot_read_here_has_no_page():
    now = timezone.now()
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=now + timedelta(minutes=5))
    russian = make_article(codes=("ru",))
    with translation.override("en"):
        assert [Article.page_for_readers(a.pk) for a in (draft, scheduled, russian)] == [None] * 3
        with time_machine.travel(now + timedelta(minutes=6)):
            assert Article.page_for_readers(scheduled.pk) == scheduled
    with translation.override("ru"):
        assert Article.page_for_readers(russian.pk) == russian


def test_a_subjects_page_finds_it_in_one_query_built_once_per_edition(monkeypatch):
    now = timezone.now()
    tags = [make_tag(codes=("en", "ru")), make_tag(codes=("en", "ru"))]
    authors = [make_author(codes=("en", "ru")), make_author(codes=("en", "ru"))]
    categories = [make_category(codes=("en", "ru")), make_category(codes=("en",))]
    make_article(codes=("en", "ru"), category=categories[0], tags=tags, authors=authors)
    make_article(codes=("en",), category=categories[1])
    with translation.override("en"):
        for subject in (tags[0], authors[0], categories[0]):
            type(subject).page_for_readers(subject.slug, now)
        # Built: asking for the others must not build their queries again.
        monkeypatch.setattr(EditionQuerySet, "with_edition_flags", None)
        for subject, expected in ((tags[1], ["en", "ru"]), (authors[1], ["en", "ru"]),
                                  (categories[1], ["en"])):  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                found = type(subject).page_for_readers(subject.slug, now)
                editions = found.editions()
            assert len(queries) == 1
            assert (found.pk, found.name, editions) == (subject.pk, subject.name_en, expected)
        assert Tag.page_for_readers("no-such-tag", now) is None
    monkeypatch.undo()
    with translation.override("ru"):
        assert Category.page_for_readers(categories[1].slug, now) is None  # no Russian name


def test_a_tag_or_author_reaches_readers_when_its_scheduled_article_comes_out():
    now = timezone.now()
    tag, author = make_tag(), make_author()
    make_article(tags=[tag], authors=[author], published_at=now + timedelta(minutes=5))
    with translation.override("en"):
        for model, subject in ((Tag, tag), (Author, author)):
            assert model.page_for_readers(subject.slug, now).editions() == []
            later = model.page_for_readers(subject.slug, now + timedelta(minutes=6))
            assert later.editions() == ["en"]


def test_the_menu_most_read_and_breaking_news_are_read_by_queries_built_once(monkeypatch):
    now = timezone.now()
    category = make_category()
    scheduled = make_article(category=make_category(), published_at=now + timedelta(hours=1))
    read = [make_article(category=category) for _ in range(3)]
    for views, article in zip((5, 50, 20), read, strict=True):
        DailyViews.objects.create(article=article, edition="en", day=now.date(), count=views)
    DailyViews.objects.create(article=scheduled, edition="en", day=now.date(), count=99)
    BreakingNews.objects.create(
        front_page=FrontPage.objects.get(edition="en"),
        text="Breaking",
        article=read[0],
        expires_at=now + timedelta(hours=2),
    )
    with translation.override("en"):

        def fragments():
            return (
                [c.slug for c in Category.menu("en")],
                [(a.pk, a.title) for a in most_read_now(3)],
                [
                    (item.text, item.article_id, item.article_readable)
                    for item in _breaking_now(now=now)
                ],
            )

        first = fragments()
        # Built: reading them again must not build any of them again.
        monkeypatch.setattr(ArticleQuerySet, "for_readers", None)
        with CaptureQueriesContext(connection) as queries:
            assert fragments() == first
    assert len(queries) == 3
    assert first == (
        [category.slug],  # the scheduled article's category has no news yet
        [(read[1].pk, read[1].title), (read[2].pk, read[2].title), (read[0].pk, read[0].title)],
        [("Breaking", read[0].pk, True)],
    )
