"""The domain's words: published, in_edition, listed_under, popular, related_to."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core import editions
from news.models import Article, DailyViews
from tests.builders import make_article, make_tag

pytestmark = pytest.mark.django_db


def test_draft_is_hidden_from_readers():
    make_article(status=Article.Status.DRAFT)
    assert not Article.objects.published().exists()


def test_scheduled_article_appears_by_itself_at_its_time():
    publish_at = timezone.now() + timedelta(hours=2)
    article = make_article(published_at=publish_at)
    assert article not in Article.objects.published()
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert article in Article.objects.published()


def test_article_belongs_only_to_editions_with_title_and_body():
    article = make_article(codes=("en", "ru"), title_kk="Тақырып")  # a title but no body in kk
    assert article.editions() == ["en", "ru"]
    assert article in Article.objects.in_edition("ru")
    assert article not in Article.objects.in_edition("kk")
    assert article not in Article.objects.in_edition("zh-hans")


def stored_editions(article):
    bits = Article.objects.values_list("stored_edition_bits", flat=True).get(pk=article.pk)
    return list(editions.codes_in(bits))


def test_the_database_keeps_each_articles_editions_as_its_texts_change():
    """The stored set of editions (what the sitemaps count by) is the database's own
    work: it follows a save, an update of the texts that saves nothing, and a removal."""
    article = make_article(codes=("en", "ru"), title_kk="Тақырып")  # a title but no body in kk
    assert stored_editions(article) == article.editions() == ["en", "ru"]
    article.body_kk = "<p>Мәтін</p>"
    article.save()
    assert stored_editions(article) == ["en", "ru", "kk"]
    Article.objects.filter(pk=article.pk).update(title_ru="", title_kk_arab="ت", body_kk_arab="م")
    assert stored_editions(article) == ["en", "kk", "kk-arab"]
    for code in editions.CODES:
        by_bits = Article.objects.in_edition_by_bits(code)
        assert list(by_bits) == list(Article.objects.in_edition(code)), code


def test_edition_membership_never_falls_back_to_another_language():
    english_only = make_article(codes=("en",))
    for code in ("ru", "kk", "kk-latn", "zh-hans", "kk-arab", "uz"):
        assert not Article.objects.in_edition(code).filter(pk=english_only.pk).exists()


def test_in_edition_defaults_to_the_active_edition():
    from django.utils import translation

    russian = make_article(codes=("ru",))
    with translation.override("ru"):
        assert list(Article.objects.in_edition()) == [russian]
    assert list(Article.objects.in_edition()) == []


def test_a_listing_lists_what_readers_of_the_edition_can_reach_newest_first():
    tag = make_tag("economy")
    now = timezone.now()
    older = make_article("Older", tags=[tag], published_at=now - timedelta(hours=2))
    newer = make_article("Newer", tags=[tag], published_at=now - timedelta(hours=1))
    make_article("Draft", tags=[tag], status=Article.Status.DRAFT)
    scheduled = make_article("Scheduled", tags=[tag], published_at=now + timedelta(hours=1))
    make_article("Russian only", codes=("ru",), tags=[tag])
    make_article("Untagged")

    listed = list(Article.objects.listed_under("tags", [tag.pk]))
    assert listed == [newer, older]
    # What a page reads, in SQL built once, is the same list.
    assert list(Article.listing_page("tags", [tag.pk], rows=10)) == listed
    # A scheduled article is listed from its publish time on.
    in_two_hours = now + timedelta(hours=2)
    assert list(Article.objects.listed_under("tags", [tag.pk], in_two_hours)) == [
        scheduled,
        newer,
        older,
    ]


def test_popular_ranks_reads_of_the_edition_over_recent_days():
    today = timezone.localdate()
    most, second, old = (make_article(codes=("en", "ru")) for _ in range(3))
    DailyViews.objects.create(article=most, edition="en", day=today, count=50)
    DailyViews.objects.create(article=most, edition="en", day=today - timedelta(days=2), count=30)
    DailyViews.objects.create(article=second, edition="en", day=today, count=60)
    DailyViews.objects.create(article=old, edition="en", day=today - timedelta(days=30), count=999)
    DailyViews.objects.create(article=second, edition="ru", day=today, count=1000)

    ranked = list(Article.objects.for_readers("en").popular("en"))
    assert ranked == [most, second]
    assert [a.recent_views for a in ranked] == [80, 60]


def test_related_to_lists_articles_sharing_a_tag_newest_first():
    senate, parliament, russia = make_tag(), make_tag(), make_tag()
    article = make_article(tags=[senate, parliament, russia])
    two_shared_old = make_article(
        tags=[senate, parliament], published_at=timezone.now() - timedelta(days=9)
    )
    one_shared_new = make_article(tags=[russia], published_at=timezone.now() - timedelta(hours=3))
    one_shared = make_article(tags=[senate], published_at=timezone.now() - timedelta(days=5))
    make_article()  # shares nothing

    assert list(Article.objects.related_to(article)) == [one_shared_new, one_shared, two_shared_old]


def test_related_articles_put_editor_choices_first_and_never_the_article_itself():
    tag = make_tag()
    article = make_article(tags=[tag])
    by_tag = make_article(tags=[tag])
    chosen = make_article(published_at=timezone.now() - timedelta(days=100))
    article.related.set([chosen, article])
    assert article.related_articles() == [chosen, by_tag]


def test_related_articles_stay_in_the_edition():
    tag = make_tag()
    article = make_article(codes=("en", "ru"), tags=[tag])
    make_article(codes=("en",), tags=[tag])
    russian = make_article(codes=("ru",), tags=[tag])
    from django.utils import translation

    with translation.override("ru"):
        assert article.related_articles() == [russian]


def test_view_counting_adds_to_the_days_row():
    article = make_article()
    for _ in range(3):
        DailyViews.record(article.pk, "en")
    DailyViews.record(article.pk, "ru")
    assert DailyViews.objects.get(article=article, edition="en").count == 3
    assert DailyViews.objects.get(article=article, edition="ru").count == 1
