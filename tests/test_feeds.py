"""RSS 2.0 feeds of each edition and category, and their caching headers."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from news.models import Article
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def png(name="lead.png", size=(64, 48)):
    data = io.BytesIO()
    Image.new("RGB", size, (0, 94, 168)).save(data, "PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    return parsed, response


def titles(parsed):
    return [entry.title for entry in parsed.entries]


def test_edition_feed_lists_only_what_readers_of_that_edition_see(client):
    both = make_article("Both", codes=("en", "ru"))
    russian_only = make_article("Russian", codes=("ru",))
    make_article("Draft", codes=("en", "ru"), status=Article.Status.DRAFT)
    make_article("Later", codes=("en", "ru"), published_at=timezone.now() + timedelta(hours=1))

    english, _ = feed(client, "/en/rss/")
    russian, _ = feed(client, "/ru/rss/")

    assert titles(english) == [both.title_en]
    assert titles(russian) == [russian_only.title_ru, both.title_ru]
    assert english.feed.language == "en"
    assert russian.feed.language == "ru"
    assert english.feed.link == "http://testserver/en/"


def test_feeds_of_bcp47_editions_name_their_language(client):
    make_article(codes=("kk-latn",))
    parsed, _ = feed(client, "/kk-latn/rss/")
    assert parsed.feed.language == "kk-Latn"
    assert len(parsed.entries) == 1


def test_feed_item_has_link_guid_date_lead_author_categories_and_image(client):
    category = make_category("politics", name="Politics")
    article = make_article(
        "Senate",
        category=category,
        tags=[make_tag("senate", name="Senate")],
        authors=[make_author("adlet", name="Adlet")],
        published_at=datetime(2024, 6, 1, 15, 0, tzinfo=ALMATY),
        slug="senate-session",
        image=png(),
    )
    parsed, response = feed(client, "/en/rss/")
    (item,) = parsed.entries

    assert item.link == f"http://testserver/en/article/{article.pk}-senate-session/"
    assert item.id == f"http://testserver/en/article/{article.pk}/"
    assert b'<guid isPermaLink="true">' in response.content
    # The publish time is given in Almaty's own offset (UTC+5 since March 2024).
    assert b"<pubDate>Sat, 01 Jun 2024 15:00:00 +0500</pubDate>" in response.content
    assert item.published_parsed[:5] == (2024, 6, 1, 10, 0)
    assert item.summary == article.lead_en
    assert item.author == "Adlet [en]"
    assert [tag.term for tag in item.tags] == ["Politics [en]", "Senate [en]"]
    (enclosure,) = item.enclosures
    assert enclosure.href == f"http://testserver{article.image.url}"
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == article.image.size > 0


def test_each_item_names_its_own_tags_and_authors_in_order_and_only_those_named_here(client):
    politics = make_category("politics", name="Politics")
    senate, budget = make_tag("senate", name="Senate"), make_tag("budget", name="Budget")
    unnamed_in_russian = make_tag("astana", codes=("en",), name="Astana")
    adlet, bota = make_author("adlet", name="Adlet"), make_author("bota", name="Bota")
    make_article("First", codes=("en", "ru"), category=politics, tags=[senate, budget])
    make_article(
        "Second",
        codes=("en", "ru"),
        category=politics,
        tags=[unnamed_in_russian, senate],
        authors=[bota, adlet],
        published_at=timezone.now() - timedelta(minutes=5),
    )
    for code, expected in {
        "en": [
            (["Politics [en]", "Astana [en]", "Senate [en]"], "Adlet [en], Bota [en]"),
            (["Politics [en]", "Budget [en]", "Senate [en]"], None),
        ],
        "ru": [
            (["Politics [ru]", "Senate [ru]"], "Adlet [ru], Bota [ru]"),
            (["Politics [ru]", "Budget [ru]", "Senate [ru]"], None),
        ],
    }.items():
        parsed, _response = feed(client, f"/{code}/rss/")
        shown = [
            ([tag.term for tag in entry.tags], entry.get("author")) for entry in parsed.entries
        ]
        assert shown == expected, code


def test_feed_survives_an_image_missing_from_storage(client):
    article = make_article(image=png())
    article.image.storage.delete(article.image.name)
    parsed, _ = feed(client, "/en/rss/")
    assert parsed.entries[0].enclosures[0].length == "0"


def test_titles_with_markup_characters_reach_the_reader_as_text(client):
    make_article(title_en="Tom & Jerry <live>", lead_en="A < B", body_en="<p>x</p>")
    parsed, _ = feed(client, "/en/rss/")
    assert parsed.entries[0].title == "Tom & Jerry <live>"
    assert parsed.entries[0].summary == "A &lt; B"  # HTML that shows "A < B"


def test_category_feed_has_the_category_and_its_subcategories_only(client):
    news = make_category("news", name="News")
    parliament = make_category("parliament", parent=news, name="Parliament")
    in_news = make_article("In news", category=news)
    in_parliament = make_article("In parliament", category=parliament)
    make_article("Elsewhere", category=make_category("sport"))

    parsed, _ = feed(client, "/en/category/news/rss/")
    assert set(titles(parsed)) == {in_news.title_en, in_parliament.title_en}
    assert parsed.feed.title == "News [en] | Kazinform"
    assert parsed.feed.link == "http://testserver/en/category/news/"


@pytest.mark.parametrize("url", ["/en/category/nothing/rss/", "/ru/category/english-only/rss/"])
def test_feed_of_a_category_missing_from_the_edition_is_not_found(client, url):
    make_category("english-only", codes=("en",))
    assert client.get(url).status_code == 404


def test_feeds_are_cacheable_for_a_few_minutes(client):
    make_article()
    _, response = feed(client, "/en/rss/")
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"]


def test_feed_answers_conditional_get_until_something_changes(client):
    article = make_article()
    _, first = feed(client, "/en/rss/")

    by_etag = client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get("/en/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.content == b""

    article.title_en = "Corrected headline"
    article.updated_at = timezone.now() + timedelta(seconds=2)
    Article.objects.filter(pk=article.pk).update(
        title_en=article.title_en, updated_at=article.updated_at
    )
    changed = client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert b"Corrected headline" in changed.content


def test_unpublishing_an_article_changes_the_etag(client):
    keep, drop = make_article(), make_article()
    _, first = feed(client, "/en/rss/")
    Article.objects.filter(pk=drop.pk).update(status=Article.Status.DRAFT)
    response = client.get("/en/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert titles(feedparser.parse(response.content)) == [keep.title_en]


@pytest.mark.parametrize("url", ["/en/rss/", "/en/category/politics/rss/"])
@pytest.mark.parametrize("renamed", ["category", "tag", "author"])
def test_renaming_what_an_item_names_changes_the_etag(client, url, renamed):
    category = make_category("politics", name="Politics")
    tag, author = make_tag("senate", name="Senate"), make_author("adlet", name="Adlet")
    make_article(category=category, tags=[tag], authors=[author])
    _, first = feed(client, url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    subject = {"category": category, "tag": tag, "author": author}[renamed]
    subject.name_en = "Renamed"
    subject.save()  # as the admin saves it; no article is touched

    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    (item,) = feedparser.parse(response.content).entries
    shown = [t.term for t in item.tags] + [item.author]
    assert "Renamed" in shown
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def build_articles(count, category):
    tag, author = make_tag(), make_author()
    for _ in range(count):
        make_article(category=category, tags=[tag, make_tag()], authors=[author, make_author()])


@pytest.mark.parametrize("url", ["/en/rss/", "/en/category/news/rss/"])
def test_feed_queries_do_not_grow_with_the_number_of_articles(client, url):
    news = make_category("news")
    counts = []
    for added, total in ((3, 3), (12, 15)):
        build_articles(added, news)
        with CaptureQueriesContext(connection) as queries:
            parsed, _ = feed(client, url)
        assert len(parsed.entries) == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 6


def test_image_lengths_are_remembered_for_a_day_not_read_on_every_request(client):
    article = make_article(image=png())
    size = article.image.size
    feed(client, "/en/rss/")
    # Gone from storage: a feed that still names its length did not ask the disk again.
    article.image.storage.delete(article.image.name)
    parsed, _ = feed(client, "/en/rss/")
    assert parsed.entries[0].enclosures[0].length == str(size)
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        parsed, _ = feed(client, "/en/rss/")
    assert parsed.entries[0].enclosures[0].length == str(size)
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=5)):
        parsed, _ = feed(client, "/en/rss/")
    assert parsed.entries[0].enclosures[0].length == "0"


def test_last_modified_stays_put_while_nothing_changes(client, settings):
    make_article()
    first = client.get("/en/rss/")["Last-Modified"]
    later = timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS + 60)
    with time_machine.travel(later):
        assert client.get("/en/rss/")["Last-Modified"] == first


def test_last_modified_is_the_last_change_and_holds_for_days_while_nothing_changes(client):
    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), tick=False) as clock:
        category = make_category("news", name="Economy")
        make_article(category=category, published_at=timezone.now() - timedelta(hours=1))
        clock.move_to(datetime(2026, 11, 25, 9, 30, 15, tzinfo=UTC))
        category.name_en = "Business"  # a rename no article's dates show
        category.save()
        renamed = "Wed, 25 Nov 2026 09:30:15 GMT"
        assert client.get("/en/rss/")["Last-Modified"] == renamed
        clock.shift(timedelta(days=2))  # far beyond any cache's default timeout
        assert client.get("/en/rss/")["Last-Modified"] == renamed
        # The cache restarts: the generation it starts then must hold as long.
        cache.clear()
        clock.move_to(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
        restarted = client.get("/en/rss/")["Last-Modified"]
        clock.shift(timedelta(days=2))
        assert client.get("/en/rss/")["Last-Modified"] == restarted
