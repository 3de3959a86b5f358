"""Live coverage for readers: the entries under the article, the "Live" label, the
JSON feed the page polls (with ETag and 304), the page cache and LiveBlogPosting."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.cache import bump_generation, bump_labels_generation
from live.models import LiveEntry
from news.models import Article
from tests.builders import make_article, make_live_coverage, make_live_entry
from tests.caching import queries_for, warm
from tests.test_admin_images import picture_bytes

pytestmark = pytest.mark.django_db

NOON = datetime(2027, 3, 2, 7, 0, tzinfo=UTC)  # 12:00 in Almaty, after the articles are made

# The script's tag, whether collectstatic's manifest names it live.js or live.<hash>.js.
LIVE_SCRIPT = re.compile(r'<script src="[^"]*js/live(?:\.[0-9a-f]{12})?\.js"[^>]*>')


def feed_url(article, code="en"):
    with translation.override(code):
        return reverse("live:updates", kwargs={"pk": article.pk})


def entry_ids(html):
    return [int(pk) for pk in re.findall(r'id="live-entry-(\d+)"', html)]


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, blocks)}


@pytest.fixture
def coverage():
    return make_live_coverage(make_article("Floods in the north", codes=("en", "kk-arab")))


def test_readers_see_every_entry_newest_first_under_the_body(client, coverage):
    old = make_live_entry(
        coverage, "Water rising", published_at=timezone.now() - timedelta(hours=2)
    )
    new = make_live_entry(
        coverage, "Bridge closed", published_at=timezone.now() - timedelta(minutes=5)
    )
    middle = make_live_entry(
        coverage, "Evacuation", published_at=timezone.now() - timedelta(hours=1)
    )
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert entry_ids(html) == [new.pk, middle.pk, old.pk]
    assert html.index('class="body"') < html.index('id="live-entry-')
    assert "Live updates" in html
    assert html.count('class="live-label"') == 2  # by the date and on the updates heading


def test_entries_show_only_in_editions_that_have_their_text(client, coverage):
    both = make_live_entry(coverage, codes=("en", "kk-arab"))
    english = make_live_entry(coverage, codes=("en",))
    with translation.override("kk-arab"):
        url = coverage.article.get_absolute_url()
    html = client.get(url).content.decode()
    assert entry_ids(html) == [both.pk]
    assert english.body_en not in html


def test_an_entry_timed_in_the_future_waits_for_its_time(client, coverage):
    make_live_entry(coverage, "Later", published_at=timezone.now() + timedelta(hours=1))
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert entry_ids(html) == []
    assert "The first updates will appear here." in html


def test_ended_coverage_keeps_its_entries_but_loses_the_label_and_the_script(client, coverage):
    entry = make_live_entry(coverage, "Last word")
    coverage.ended_at = timezone.now() - timedelta(minutes=1)
    coverage.save()
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert entry_ids(html) == [entry.pk]
    assert "live-label" not in html
    assert not LIVE_SCRIPT.search(html)
    assert "Live coverage of this event has ended." in html


def test_the_label_goes_by_itself_at_the_end_time(client, coverage):
    with time_machine.travel(NOON, tick=False):
        coverage.started_at = NOON - timedelta(hours=1)
        coverage.ended_at = NOON + timedelta(minutes=30)
        coverage.save()
        assert "live-label" in client.get(coverage.article.get_absolute_url()).content.decode()
    with time_machine.travel(NOON + timedelta(minutes=31), tick=False):
        bump_generation()  # past the page cache's minute, as on a running site
        html = client.get(coverage.article.get_absolute_url()).content.decode()
        assert "live-label" not in html


def test_an_article_without_coverage_shows_nothing_live(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    for mark in ('class="live', "LiveBlogPosting", "Live updates"):
        assert mark not in html
    assert not LIVE_SCRIPT.search(html)
    assert client.get(feed_url(article)).status_code == 404


def test_the_page_loads_the_polling_script_from_static_with_its_feed(client, coverage, settings):
    settings.LIVE_POLL_SECONDS = 7
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    script = LIVE_SCRIPT.search(html).group(0)
    assert f'data-live-url="{feed_url(coverage.article)}"' in script
    assert 'data-live-poll="7"' in script
    assert " defer" in script


def test_entry_text_is_cleaned_like_an_article_body(client, coverage):
    entry = make_live_entry(
        coverage,
        body_en='<p onclick="steal()">Calm <script>alert(1)</script>'
        '<a href="javascript:x">now</a></p>',
    )
    entry.refresh_from_db()
    assert "script" not in entry.body_en and "onclick" not in entry.body_en
    assert "javascript" not in entry.body_en
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert "alert(1)" not in html and "steal()" not in html


def test_an_entry_image_is_cleaned_and_shown_lazily_with_renditions(client, coverage, settings):
    entry = make_live_entry(coverage, image_alt_en="Flooded street")
    entry.image.save("../../secret name.jpg", ContentFile(picture_bytes((700, 400))), save=False)
    entry.save()
    assert entry.image.name.startswith("live/") and "secret" not in entry.image.name
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    stem = entry.image.name.rsplit(".", 1)[0]
    assert f"{stem}-640w.webp 640w" in html and f"{stem}-700w.jpg 700w" in html
    assert 'alt="Flooded street"' in html and 'loading="lazy"' in html


# --- The feed ---------------------------------------------------------------


def test_the_feed_lists_the_editions_entries_newest_first_as_the_page_shows_them(client, coverage):
    old = make_live_entry(coverage, published_at=timezone.now() - timedelta(hours=1))
    new = make_live_entry(coverage)
    make_live_entry(coverage, codes=("kk-arab",))
    response = client.get(feed_url(coverage.article))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["running"] is True and data["ended"] is None
    assert [entry["id"] for entry in data["entries"]] == [new.pk, old.pk]
    page = client.get(coverage.article.get_absolute_url()).content.decode()
    for entry in data["entries"]:
        assert entry["html"].strip() in page


def test_the_feed_answers_304_while_nothing_changed_and_200_after_an_entry(client, coverage):
    make_live_entry(coverage)
    first = client.get(feed_url(coverage.article))
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert "public" in first["Cache-Control"] and "max-age=10" in first["Cache-Control"]
    unchanged = client.get(feed_url(coverage.article), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag
    added = make_live_entry(coverage, "Dam holds")
    changed = client.get(feed_url(coverage.article), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["entries"][0]["id"] == added.pk


def test_the_feed_comes_from_the_cache_until_the_content_changes(client, coverage, each_cache):
    make_live_entry(coverage)
    client.get(feed_url(coverage.article))
    response, queries = queries_for(client, feed_url(coverage.article))
    assert response.status_code == 200 and queries == 0
    added = make_live_entry(coverage)
    assert client.get(feed_url(coverage.article)).json()["entries"][0]["id"] == added.pk


def test_the_feed_says_when_coverage_ended(client, coverage):
    client.get(feed_url(coverage.article))
    coverage.ended_at = timezone.now()
    coverage.save()
    data = client.get(feed_url(coverage.article)).json()
    assert data["running"] is False and data["ended"]


@pytest.mark.parametrize(
    "change",
    [
        lambda article: Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT),
        lambda article: Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() + timedelta(days=1)
        ),
    ],
    ids=["draft", "scheduled"],
)
def test_the_feed_of_an_article_readers_cannot_open_is_not_found(client, coverage, change):
    change(coverage.article)
    assert client.get(feed_url(coverage.article)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/en/article/999999/live/",
        "/ru/article/{pk}/live/",  # the article is not written in Russian
        "/en/article/99999999999999999999999/live/",
        "/en/article/{other}/live/",  # published, but not covered live
    ],
)
def test_bad_feed_addresses_are_not_found(client, coverage, url):
    other = make_article()
    assert client.get(url.format(pk=coverage.article.pk, other=other.pk)).status_code == 404


def test_the_feed_refuses_writes(client, coverage):
    assert client.post(feed_url(coverage.article)).status_code == 405


# --- The page cache -----------------------------------------------------------


def test_a_new_entry_shows_on_the_next_request_of_a_cached_page(client, coverage, each_cache):
    url = coverage.article.get_absolute_url()
    make_live_entry(coverage, "First")
    assert "First" in warm(client, url)
    make_live_entry(coverage, "Second")
    assert "Second" in client.get(url).content.decode()


def test_ending_coverage_takes_the_label_off_a_cached_page(client, coverage, each_cache):
    url = coverage.article.get_absolute_url()
    assert "live-label" in warm(client, url)
    coverage.ended_at = timezone.now()
    coverage.save()
    assert "live-label" not in client.get(url).content.decode()


def test_a_deleted_entry_leaves_a_cached_page(client, coverage, each_cache):
    entry = make_live_entry(coverage, "Mistake")
    url = coverage.article.get_absolute_url()
    assert "Mistake" in warm(client, url)
    LiveEntry.objects.filter(pk=entry.pk).first().delete()
    assert "Mistake" not in client.get(url).content.decode()


# --- Query budgets ---------------------------------------------------------------


ARTICLE_BUDGET = 12  # tests/test_query_budgets.py
LIVE_EXTRA = 2  # the coverage and its entries


def article_queries(client, url, whole=False):
    client.get(url)
    bump_generation()
    client.get("/en/no-such-page/")  # refills the site-wide fragments
    if whole:
        bump_labels_generation()  # and forgets the article's kept parts (news.article_parts)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_entries(coverage, count):
    LiveEntry.objects.bulk_create(
        LiveEntry(
            coverage=coverage,
            published_at=timezone.now() - timedelta(minutes=n + 1),
            body_en=f"<p>Update {n}</p>",
        )
        for n in range(count)
    )


def test_a_live_article_page_keeps_its_query_budget_whatever_the_entries(client, coverage):
    add_entries(coverage, 5)
    few = article_queries(client, coverage.article.get_absolute_url())
    busy = make_live_coverage(make_article())
    add_entries(busy, 300)
    many = article_queries(client, busy.article.get_absolute_url())
    assert few == many <= ARTICLE_BUDGET + LIVE_EXTRA
    # A live article's parts are never kept: compared with a plain one rendered whole.
    plain = article_queries(client, make_article().get_absolute_url(), whole=True)
    assert many <= plain + 1  # the entries; the coverage is asked for on every article


def test_an_article_without_coverage_pays_one_query_for_asking(client):
    article = make_article()
    assert article_queries(client, article.get_absolute_url()) <= ARTICLE_BUDGET + 1


def test_the_feed_costs_three_queries_on_a_cache_miss(client, coverage):
    LiveEntry.objects.bulk_create(
        LiveEntry(coverage=coverage, body_en=f"<p>Update {n}</p>") for n in range(100)
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(feed_url(coverage.article)).status_code == 200
    assert len(queries) <= 3


# --- Structured data ------------------------------------------------------------------


def test_live_blog_posting_lists_every_entry_with_the_coverage_times(client, coverage):
    with time_machine.travel(NOON, tick=False):
        coverage.started_at = NOON - timedelta(hours=2)
        coverage.save()
        first = make_live_entry(
            coverage,
            body_en="<p>Water <em>rising</em> fast</p>",
            published_at=NOON - timedelta(hours=1),
        )
        second = make_live_entry(coverage, published_at=NOON - timedelta(minutes=10))
        html = client.get(coverage.article.get_absolute_url()).content.decode()
    data = json_ld(html)["LiveBlogPosting"]
    assert "NewsArticle" in json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == coverage.article.title_en
    assert data["coverageStartTime"] == "2027-03-02T10:00:00+05:00"
    assert "coverageEndTime" not in data
    assert data["dateModified"] == "2027-03-02T11:50:00+05:00"
    assert data["url"].endswith(coverage.article.get_absolute_url())
    updates = data["liveBlogUpdate"]
    assert [update["url"].rsplit("#", 1)[1] for update in updates] == [
        f"live-entry-{second.pk}",
        f"live-entry-{first.pk}",
    ]
    assert updates[1] == {
        "@type": "BlogPosting",
        "headline": "Water rising fast",
        "articleBody": "Water rising fast",
        "datePublished": "2027-03-02T11:00:00+05:00",
        "url": updates[1]["url"],
    }
    assert data["publisher"]["name"]


def test_live_blog_posting_has_the_end_time_once_coverage_ended(client, coverage):
    coverage.ended_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    coverage.started_at = coverage.ended_at - timedelta(hours=3)
    coverage.save()
    data = json_ld(client.get(coverage.article.get_absolute_url()).content.decode())
    assert data["LiveBlogPosting"]["coverageEndTime"] == "2026-03-02T14:00:00+05:00"


def test_entry_text_cannot_break_out_of_the_json_ld(client, coverage):
    make_live_entry(coverage, body_en="<p>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    update = json_ld(html)["LiveBlogPosting"]["liveBlogUpdate"][0]
    assert update["articleBody"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html
