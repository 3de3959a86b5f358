"""Only changes readers can see empty their cached pages: the newsroom's work on
drafts leaves them alone; publishing, unpublishing and editing what readers see
shows on the next request."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from news import workflow
from news.models import Article, ArticleEvent, BodyImage
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, change_url, form_data_of, make_staff
from tests.builders import make_article, make_category, make_tag
from tests.caching import queries_for, warm
from tests.test_feeds import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return make_category("news")


@pytest.fixture
def tag():
    return make_tag("senate")


@pytest.fixture
def pages(client, category, tag):
    """Reader pages, warmed by an anonymous reader."""
    shown = make_article("Already public", category=category, tags=[tag])
    urls = ["/en/", "/en/category/news/", "/en/tag/senate/", shown.get_absolute_url()]
    for url in urls:
        warm(client, url)
    return urls


def assert_still_cached(client, urls):
    for url in urls:
        _page, queries = queries_for(client, url)
        assert queries == 0, f"{url} was emptied from the cache"


def test_writing_a_draft_keeps_readers_pages_cached(client, category, tag, pages):
    draft = make_article("Secret plan", category=category, status=Article.Status.DRAFT)
    draft.title_en = "Secret plan, second take"
    draft.save()
    draft.tags.add(tag)
    ArticleEvent.objects.create(article=draft, action=ArticleEvent.Action.DRAFTED)
    upload = BodyImage()
    upload.image.save("b.png", png(), save=False)
    upload.save()
    assert_still_cached(client, pages)


def test_saving_a_draft_in_the_admin_keeps_readers_pages_cached(client, category, tag, pages):
    draft = make_article("Secret plan", category=category, status=Article.Status.DRAFT)
    editor = Client()
    editor.force_login(make_staff(EDITOR))
    data = form_data_of(draft, title_en="Secret plan, edited", tags=[tag.pk])
    assert editor.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Secret plan, edited" and list(draft.tags.all()) == [tag]
    assert_still_cached(client, pages)


def test_review_and_its_return_keep_readers_pages_cached(client, category, pages):
    draft = make_article("Under review", category=category, status=Article.Status.DRAFT)
    workflow.submit_for_review(draft, make_staff(EDITOR))
    workflow.send_back(draft, make_staff(CHIEF_EDITOR, username="chief"), "Shorter, please")
    assert_still_cached(client, pages)


def test_an_article_taken_down_is_edited_without_emptying_the_cache(client, category, pages):
    gone = make_article("Taken down", category=category, status=Article.Status.UNPUBLISHED)
    gone.title_en = "Taken down, rewritten"
    gone.save()
    assert_still_cached(client, pages)


def test_approving_an_article_shows_it_on_the_next_request(client, category, pages):
    draft = make_article("Now public", category=category, status=Article.Status.DRAFT)
    workflow.submit_for_review(draft, make_staff(EDITOR))
    workflow.approve(draft, make_staff(CHIEF_EDITOR, username="chief"))
    assert "Now public" in client.get("/en/").content.decode()
    assert "Now public" in client.get("/en/category/news/").content.decode()


def test_unpublishing_shows_on_the_next_request(client, category, pages):
    article = Article.objects.get(title_en__startswith="Already public")
    article.status = Article.Status.UNPUBLISHED
    article.save()
    assert "Already public" not in client.get("/en/").content.decode()
    assert client.get(pages[-1]).status_code == 404


def test_a_new_tag_on_a_public_article_shows_on_the_next_request(client, category, tag, pages):
    article = make_article("Tagged late", category=category)
    warm(client, "/en/tag/senate/")
    article.tags.add(tag)
    assert "Tagged late" in client.get("/en/tag/senate/").content.decode()


def test_editing_a_scheduled_article_empties_the_cache(client, category, pages):
    soon = make_article(
        "Coming soon", category=category, published_at=timezone.now() + timedelta(days=1)
    )
    warm(client, "/en/")
    soon.published_at = timezone.now() - timedelta(minutes=1)  # the chief brings it forward
    soon.save()
    assert "Coming soon" in client.get("/en/").content.decode()


def test_replacing_a_body_image_empties_the_cache(client, pages):
    upload = BodyImage()
    upload.image.save("b.png", png(), save=False)
    upload.save()
    assert_still_cached(client, pages)
    upload.image.save("c.png", png(size=(32, 24)))  # saves the row again
    _page, queries = queries_for(client, "/en/")
    assert queries > 0


def test_deleting_a_body_image_takes_it_off_the_cached_article(client, category):
    upload = BodyImage()
    upload.image.save("b.png", png(), save=False)
    upload.save()
    figure = (
        f'<figure data-body-image="{upload.pk}" data-alt="Wheat" data-caption="Harvest in '
        'Kostanay" data-credit=""><img src="/media/whatever.jpg" alt="Wheat"></figure>'
    )
    article = make_article("With a picture", category=category, body_en=f"<p>Text.</p>{figure}")
    url = article.get_absolute_url()
    assert "Harvest in Kostanay" in warm(client, url)
    upload.delete()
    assert "Harvest in Kostanay" not in client.get(url).content.decode()
