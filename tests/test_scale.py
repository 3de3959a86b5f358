"""The scale-data generator: small, fast checks of what runs at a million."""

import pytest
from django.core.management import CommandError, call_command
from modeltranslation.utils import build_localized_fieldname

from core import editions
from news.models import Article
from tests.builders import make_author, make_category, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    for _ in range(3):
        make_category(), make_tag(), make_author()


def generated(**filters):
    return Article.objects.filter(slug__startswith="generated-", **filters)


def snapshot():
    return list(
        generated()
        .order_by("slug")
        .values_list("slug", "title_en", "title_ru", "published_at", "category__slug")
    )


def test_generator_is_deterministic_for_a_seed(newsroom):
    call_command("generate_articles", "--end=2026-01-31", count=60, seed=7, batch_size=25)
    first = snapshot()
    generated().delete()
    call_command("generate_articles", "--end=2026-01-31", count=60, seed=7, batch_size=25)
    assert snapshot() == first
    assert len(first) == 60


def test_generated_articles_are_realistic(newsroom):
    call_command("generate_articles", "--end=2026-01-31", count=300, seed=3)
    articles = list(generated().prefetch_related("tags", "authors"))
    assert all(a.tags.all() and a.authors.all() for a in articles)
    edition_counts = [len(a.editions()) for a in articles]
    assert sum(1 for n in edition_counts if n <= 2) > len(articles) / 2  # most in one or two
    assert any(n == len(editions.CODES) for n in edition_counts)  # some in all seven
    years = {a.published_at.year for a in articles}
    assert len(years) >= 4
    for article in articles[:20]:
        for code in article.editions():
            assert getattr(article, build_localized_fieldname("lead", code))
            assert getattr(article, build_localized_fieldname("dateline_city", code))


def test_generated_chinese_is_written_as_chinese_is(newsroom):
    call_command("generate_articles", "--end=2026-01-31", count=40, seed=3)
    chinese = [a for a in generated() if "zh-hans" in a.editions()]
    assert chinese
    for article in chinese:
        assert " " not in article.title_zh_hans  # no spaces between Chinese words
        assert article.lead_zh_hans.endswith("。")
        assert article.lead_zh_hans.count("。") == 1  # one sentence, with no "." after it
        assert "." not in article.lead_zh_hans
    english = [a for a in generated() if "en" in a.editions()]
    assert all(a.lead_en.endswith(".") and a.lead_en.count(".") == 1 for a in english)


def test_up_to_adds_only_what_is_missing(newsroom):
    call_command("generate_articles", "--end=2026-01-31", up_to=40, seed=1)
    call_command("generate_articles", "--end=2026-01-31", up_to=50, seed=1)
    assert Article.objects.count() == 50


def test_generator_needs_a_newsroom_first():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_articles", count=5)


@pytest.mark.parametrize("arguments", [["--count", "0"], ["--count", "x"], ["--end", "31-01-2026"]])
def test_generator_rejects_bad_arguments(arguments, newsroom):
    with pytest.raises(CommandError):
        call_command("generate_articles", *arguments)


@pytest.mark.parametrize(
    ("code", "word"), [("en", "parliament"), ("ru", "парламент"), ("kk-arab", "سەنات")]
)
def test_search_uses_the_editions_full_text_index(code, word):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's")
    from news import search

    # Only the full-text condition, so that the GIN index is the one index that applies:
    # the matches, as the results' count and candidates read them.
    queryset = search.matching(Article.objects.all(), word, code).matches.order_by()
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"news_article_search_{code.replace('-', '_')}" in plan, plan


@pytest.mark.django_db(transaction=True)
def test_deferred_search_indexes_are_built_again_after_the_load():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's")
    from news import search

    make_category(), make_tag(), make_author()
    call_command("generate_articles", "--defer-search-indexes", count=30, seed=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'news_article'")
        present = {row[0] for row in cursor.fetchall()}
    assert set(search.search_index_names()) <= present
    assert generated().count() == 30
