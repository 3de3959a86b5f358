"""Related news are kept ahead of reading: every save that changes them refreshes the
stored lists, and the article page reads them in one query."""

import random
import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core import editions
from news.models import LATEST_PER_TAG, Article, LatestInTag
from tests.builders import make_article, make_tag

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_a_newly_published_article_leads_the_related_news_of_its_tag():
    tag = make_tag()
    article = make_article(tags=[tag], published_at=hours_ago(5))
    older = make_article(tags=[tag], published_at=hours_ago(4))
    draft = make_article(tags=[tag], status=Article.Status.DRAFT, published_at=hours_ago(1))
    assert article.related_articles() == [older]

    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert article.related_articles() == [draft, older]


def test_an_unpublished_or_deleted_article_leaves_and_older_ones_fill_its_place():
    tag = make_tag()
    article = make_article(tags=[tag], published_at=hours_ago(100))
    stories = [make_article(tags=[tag], published_at=hours_ago(n)) for n in range(1, 21)]
    assert article.related_articles() == stories[:5]

    # More than the stored list of the tag goes away: the next ones still show.
    stories[0].delete()
    stories[1].delete()
    for story in stories[2:LATEST_PER_TAG]:
        story.status = Article.Status.UNPUBLISHED
        story.save()
    assert article.related_articles() == stories[LATEST_PER_TAG : LATEST_PER_TAG + 5]


def test_tag_changes_move_an_article_in_and_out_of_related_news():
    senate, economy = make_tag(), make_tag()
    article = make_article(tags=[senate])
    other = make_article(tags=[economy])
    assert article.related_articles() == []

    other.tags.add(senate)
    assert article.related_articles() == [other]
    other.tags.remove(senate)
    assert article.related_articles() == []
    senate.articles.add(other)  # from the tag's side
    assert article.related_articles() == [other]
    other.tags.clear()
    assert article.related_articles() == []

    article.tags.set([economy])  # the article's own tags: read as they are now
    other.tags.set([economy])
    assert article.related_articles() == [other]


def test_editor_choices_lead_whatever_their_tags_and_age():
    tag = make_tag()
    article = make_article(tags=[tag])
    by_tag = make_article(tags=[tag], published_at=hours_ago(0.5))
    chosen_old = make_article(published_at=hours_ago(500))
    chosen_new = make_article(published_at=hours_ago(50))
    article.related.add(chosen_old, by_tag)
    assert article.related_articles() == [by_tag, chosen_old]
    article.related.add(chosen_new)
    assert article.related_articles() == [by_tag, chosen_new, chosen_old]
    article.related.remove(by_tag)
    assert article.related_articles() == [chosen_new, chosen_old, by_tag]


def test_each_edition_has_its_own_related_news():
    tag = make_tag()
    article = make_article(codes=("en", "ru", "kk-arab"), tags=[tag], published_at=hours_ago(9))
    russian = make_article(codes=("ru",), tags=[tag], published_at=hours_ago(2))
    both = make_article(codes=("en", "ru"), tags=[tag], published_at=hours_ago(3))
    assert article.related_articles() == [both]
    with translation.override("ru"):
        assert article.related_articles() == [russian, both]
    with translation.override("kk-arab"):
        assert article.related_articles() == []

    russian.title_en, russian.body_en = "Now in English", "<p>Text</p>"
    russian.save()
    assert article.related_articles() == [russian, both]
    both.title_ru = ""  # no longer in the Russian edition
    both.save()
    with translation.override("ru"):
        assert article.related_articles() == [russian]


def test_a_scheduled_article_appears_by_itself_at_its_time():
    tag = make_tag()
    article = make_article(tags=[tag])
    publish_at = timezone.now() + timedelta(hours=2)
    scheduled = make_article(tags=[tag], published_at=publish_at)
    # More than a stored list of newer-looking articles must not push it out.
    recent = [
        make_article(tags=[tag], published_at=hours_ago(0.1 * (n + 1)))
        for n in range(LATEST_PER_TAG)
    ]
    assert scheduled not in article.related_articles()
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert article.related_articles()[0] == scheduled
        assert article.related_articles()[1:] == recent[:4]


def expected_related(article, code, limit=5):
    """The rule, computed from the articles themselves: the readable editor's choices, then
    readable articles sharing a tag, each newest first, never the article itself."""
    readable = Article.objects.for_readers(code).exclude(pk=article.pk).newest_first()
    chosen = list(readable.filter(pk__in=article.related.values("pk")))
    by_tag = readable.filter(tags__in=article.tags.all()).exclude(pk__in=[a.pk for a in chosen])
    return (chosen + list(by_tag.distinct()))[:limit]


def test_stored_related_news_equal_the_rule_after_any_sequence_of_edits():
    rng = random.Random(12)
    tags = [make_tag() for _ in range(4)]
    codes = ("en", "ru", "kk")
    articles = [
        make_article(
            codes=rng.sample(codes, rng.randint(1, 3)),
            tags=rng.sample(tags, rng.randint(0, 2)),
            published_at=hours_ago(rng.randint(1, 500)),
        )
        for _ in range(60)
    ]
    for _ in range(120):
        article = rng.choice(articles)
        match rng.randrange(5):
            case 0:
                article.status = rng.choice(list(Article.Status))
                article.save()
            case 1:
                article.tags.set(rng.sample(tags, rng.randint(0, 3)))
            case 2:
                article.published_at = hours_ago(rng.randint(-3, 500))
                article.save()
            case 3:
                code = rng.choice(codes)
                setattr(article, f"title_{code}", rng.choice(["", f"Title {code}"]))
                setattr(article, f"body_{code}", f"<p>Body {code}</p>")
                article.save()
            case 4:
                article.related.add(rng.choice(articles))
    with time_machine.travel(timezone.now() + timedelta(hours=4)):
        for article in articles:
            for code in codes:
                with translation.override(code):
                    assert article.related_articles() == expected_related(article, code), (
                        article.pk,
                        code,
                    )


def test_the_article_page_reads_related_news_in_one_query(client):
    tag = make_tag()
    article = make_article(tags=[tag], published_at=hours_ago(20))
    related = [make_article(tags=[tag], published_at=hours_ago(n)) for n in range(1, 8)]
    article.related.add(related[-1])
    client.get(article.get_absolute_url())  # settings rows are made on first use
    cache.clear()  # a cold page cache
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.get_absolute_url()).content.decode()
    touching = [q["sql"] for q in queries if "news_latestintag" in q["sql"]]
    assert len(touching) == 1, touching
    for story in [related[-1], *related[:4]]:
        assert story.get_absolute_url() in html
    assert related[4].get_absolute_url() not in html


def test_refresh_related_stores_what_writes_without_signals_left_out():
    tag = make_tag()
    article = make_article(tags=[tag], published_at=hours_ago(10))
    (bulk,) = Article.objects.bulk_create(
        [
            Article(
                slug="bulk",
                category=article.category,
                status=Article.Status.PUBLISHED,
                published_at=hours_ago(1),
                title_en="Bulk",
                body_en="<p>Bulk</p>",
            )
        ]
    )
    Article.tags.through.objects.bulk_create([Article.tags.through(article=bulk, tag=tag)])
    assert article.related_articles() == []

    call_command("refresh_related", "--since", "2", stdout=StringIO())
    assert article.related_articles() == [bulk]
    LatestInTag.objects.all().delete()
    call_command("refresh_related", "--all", stdout=StringIO())
    assert article.related_articles() == [bulk]


def test_generated_articles_come_with_their_related_news():
    make_article(tags=[make_tag()])  # load_demo's categories, tags and authors, in small
    from tests.builders import make_author

    make_author()
    call_command("generate_articles", "--count", "60", "--seed", "3", stdout=StringIO())
    generated = Article.objects.filter(slug__startswith="generated-").order_by("pk")
    for article in generated[:10]:
        for code in article.editions():
            with translation.override(code):
                assert article.related_articles() == expected_related(article, code)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ([], "one of the arguments --all --since is required"),
        (["--since", "0"], "invalid positive value: '0'"),
        (["--since", "two"], "invalid positive value: 'two'"),
        (["--all", "--since", "2"], "not allowed with argument"),
        (["--all", "--batch-size", "-5"], "invalid positive value: '-5'"),
    ],
)
def test_refresh_related_refuses_bad_arguments_with_a_message(arguments, message):
    done = subprocess.run(
        [sys.executable, "manage.py", "refresh_related", *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert "usage: manage.py refresh_related" in done.stderr


def test_every_edition_is_refreshed():
    tag = make_tag()
    article = make_article(codes=editions.CODES, tags=[tag], published_at=hours_ago(3))
    other = make_article(codes=editions.CODES, tags=[tag])
    for code in editions.CODES:
        with translation.override(code):
            assert article.related_articles() == [other], code
