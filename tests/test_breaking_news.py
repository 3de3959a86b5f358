"""Breaking news: a banner on every reader page of its edition until it expires or is lifted."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import generation
from frontpage.models import BreakingNews, FrontPage
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, make_staff
from tests.builders import make_article, make_author, make_category, make_tag
from tests.caching import warm

pytestmark = pytest.mark.django_db

BANNER = 'class="breaking"'


def breaking(text="Earthquake in Almaty", code="en", article=None, expires_in=timedelta(hours=1)):
    return BreakingNews.objects.create(
        front_page=FrontPage.objects.get(edition=code),
        text=text,
        article=article,
        expires_at=timezone.now() + expires_in,
    )


def banner_of(html):
    if BANNER not in html:
        return None
    section = html[html.index(BANNER) :]
    return section[: section.index("</section>")]


@pytest.fixture
def pages():
    """One reader page of every kind in English, with the status each must answer."""
    category = make_category("news")
    tag, author = make_tag("senate"), make_author("adlet")
    article = make_article(category=category, tags=[tag], authors=[author], slug="meeting")
    day = timezone.localdate(article.published_at).strftime("%Y/%m/%d")
    return article, [
        ("/en/", 200),
        (article.get_absolute_url(), 200),
        ("/en/category/news/", 200),
        ("/en/tag/senate/", 200),
        ("/en/author/adlet/", 200),
        ("/en/search/?q=headline", 200),
        (f"/en/archive/{day}/", 200),
        (f"/en/archive/{day[:7]}/", 200),
        ("/en/no-such-page/", 404),
    ]


def test_the_banner_shows_on_every_reader_page_of_the_edition(client, pages):
    article, urls = pages
    breaking("Earthquake in Almaty", article=article)

    for url, status in urls:
        response = client.get(url)
        assert response.status_code == status, url
        banner = banner_of(response.content.decode())
        assert banner and "Earthquake in Almaty" in banner, url
        assert f'href="{article.get_absolute_url()}"' in banner, url
        assert ">Breaking<" in banner


def test_the_banner_belongs_to_its_edition_only(client):
    make_article(codes=("en", "ru"))
    breaking("Землетрясение в Алматы", code="ru")

    assert "Землетрясение" in banner_of(client.get("/ru/").content.decode())
    assert banner_of(client.get("/en/").content.decode()) is None


def test_the_banner_is_in_the_readers_language(client):
    make_article(codes=("kk-arab",))
    breaking("الماتىدا جەر سىلكىندى", code="kk-arab")

    banner = banner_of(client.get("/kk-arab/").content.decode())

    assert "الماتىدا جەر سىلكىندى" in banner
    assert "Breaking" not in banner


def test_without_a_link_the_banner_is_plain_text(client):
    make_article()
    breaking("Storm warning")

    banner = banner_of(client.get("/en/").content.decode())

    assert "<span>Storm warning</span>" in banner and "href" not in banner


def test_a_linked_article_readers_cannot_read_leaves_only_the_text(client):
    article = make_article()
    breaking("Earthquake", article=article)
    article.status = Article.Status.UNPUBLISHED
    article.save()

    banner = banner_of(client.get("/en/").content.decode())

    assert "Earthquake" in banner and article.get_absolute_url() not in banner


def test_an_expired_banner_disappears_by_itself_from_cached_pages(client, pages):
    article, urls = pages
    item = breaking("Earthquake", expires_in=timedelta(minutes=10))

    with time_machine.travel(item.expires_at - timedelta(seconds=20), tick=False):
        for url, status in urls:
            # Search results are never page-cached; every other page is warmed.
            html = warm(client, url) if status == 200 and "search" not in url else None
            assert "Earthquake" in banner_of(html or client.get(url).content.decode()), url
        assert "max-age=20" in client.get(article.get_absolute_url())["Cache-Control"]

    with time_machine.travel(item.expires_at + timedelta(seconds=1), tick=False):
        for url, _status in urls:
            assert banner_of(client.get(url).content.decode()) is None, url


def test_a_new_banner_shows_at_once_on_cached_pages(client, pages):
    article, _urls = pages
    warm(client, "/en/")
    warm(client, article.get_absolute_url())

    breaking("Earthquake")

    assert "Earthquake" in banner_of(client.get("/en/").content.decode())
    assert "Earthquake" in banner_of(client.get(article.get_absolute_url()).content.decode())


def test_lifting_the_banner_removes_it_from_cached_pages_at_once(client, pages):
    article, _urls = pages
    item = breaking("Earthquake")
    reader = Client()
    assert "Earthquake" in banner_of(warm(reader, article.get_absolute_url()))
    client.force_login(make_staff(CHIEF_EDITOR))

    response = client.post(
        "/en/admin/frontpage/breakingnews/",
        {"action": "lift", "_selected_action": [item.pk]},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.lifted_at is not None
    assert banner_of(reader.get(article.get_absolute_url()).content.decode()) is None
    listing = client.get("/en/admin/frontpage/breakingnews/").content.decode()
    assert "Lifted" in listing


def test_the_chief_editor_posts_a_banner_from_the_admin(client):
    article = make_article()
    client.force_login(make_staff(CHIEF_EDITOR))
    expires = timezone.localtime() + timedelta(hours=2)

    response = client.post(
        "/en/admin/frontpage/breakingnews/add/",
        {
            "front_page": "en",
            "text": "Parliament dissolved",
            "article": article.pk,
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 302
    assert "Parliament dissolved" in banner_of(Client().get("/en/").content.decode())


def test_a_link_to_an_article_of_another_edition_is_refused(client):
    russian_only = make_article(codes=("ru",))
    client.force_login(make_staff(CHIEF_EDITOR))
    expires = timezone.localtime() + timedelta(hours=2)

    response = client.post(
        "/en/admin/frontpage/breakingnews/add/",
        {
            "front_page": "en",
            "text": "Parliament dissolved",
            "article": russian_only.pk,
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 200
    assert "This article is not published in English" in response.content.decode()
    assert not BreakingNews.objects.exists()


def test_the_banner_costs_no_query_once_the_fragments_are_cached(client, pages):
    article, _urls = pages
    breaking("Earthquake", article=article)
    client.get("/en/")
    client.get("/en/category/news/")
    before = generation()
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/tag/senate/")  # a page not cached yet; the banner is
    assert generation() == before
    assert not [q for q in queries if "frontpage_breakingnews" in q["sql"]]
