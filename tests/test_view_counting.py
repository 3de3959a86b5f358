"""Reads are counted by the page's beacon: once per reader per article per day, only
from the page itself, never for bots, never breaking a page."""

import re
import threading
import time
from datetime import date, datetime, timedelta
from html import unescape
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone, translation

from news.models import Article, DailyViews
from tests.builders import make_article

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126 Safari/537.36"
)


def views_of(article, edition="en"):
    row = DailyViews.objects.filter(article=article, edition=edition).first()
    return row.count if row else 0


def reader(number, **extra):
    """A browser of its own: its own address and user agent."""
    return Client(
        REMOTE_ADDR=f"10.0.{number // 250}.{number % 250 + 1}",
        HTTP_USER_AGENT=f"{BROWSER} r{number}",
        **extra,
    )


def noscript_src(html):
    return unescape(re.search(r'<noscript><img class="beacon" src="([^"]+)"', html).group(1))


def test_article_page_carries_a_beacon_and_a_signed_noscript_fallback(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    beacon = f"/en/article/{article.pk}/seen/"
    assert f'data-beacon="{beacon}"' in html
    assert noscript_src(html).startswith(f"{beacon}?t=")


def test_beacon_counts_reads_per_edition(client):
    article = make_article(codes=("en", "ru"))
    reader(1).post(f"/en/article/{article.pk}/seen/")
    reader(2).post(f"/en/article/{article.pk}/seen/")
    with translation.override("ru"):
        page = reader(3).get(article.get_absolute_url()).content.decode()
    response = reader(3).get(noscript_src(page))
    assert response["Content-Type"] == "image/gif"
    assert "no-cache" in response["Cache-Control"]
    assert (views_of(article, "en"), views_of(article, "ru")) == (2, 1)


def test_five_hundred_beacons_from_one_reader_count_once(settings):
    article = make_article()
    one = reader(7)
    statuses = {one.post(f"/en/article/{article.pk}/seen/").status_code for _ in range(500)}
    assert views_of(article) == 1
    assert statuses == {204, 429}  # and past the per-address limit, told to slow down


def test_a_reader_is_not_counted_again_later_the_same_day():
    one = reader(11)
    morning = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    with time_machine.travel(morning):
        article = make_article()
        one.post(f"/en/article/{article.pk}/seen/")
    with time_machine.travel(morning + timedelta(hours=14)):
        one.post(f"/en/article/{article.pk}/seen/")
    assert views_of(article) == 1


def test_each_article_a_reader_opens_counts():
    first, second = make_article(), make_article()
    one = reader(12)
    for article in (first, second):
        one.post(f"/en/article/{article.pk}/seen/")
    assert (views_of(first), views_of(second)) == (1, 1)


def test_readers_with_the_same_browser_at_other_addresses_count_apart():
    article = make_article()
    for address in ("10.1.0.1", "10.1.0.2"):
        Client(REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER).post(f"/en/article/{article.pk}/seen/")
    assert views_of(article) == 2


def test_a_read_after_midnight_counts_for_the_new_day():
    one = reader(13)
    late = datetime(2026, 11, 25, 23, 50, tzinfo=ZoneInfo("Asia/Almaty"))
    with time_machine.travel(late):
        article = make_article()
        one.post(f"/en/article/{article.pk}/seen/")
    with time_machine.travel(late + timedelta(minutes=20)):
        one.post(f"/en/article/{article.pk}/seen/")
    days = DailyViews.objects.filter(article=article).values_list("day", "count")
    assert sorted(days) == [(date(2026, 11, 25), 1), (date(2026, 11, 26), 1)]


def test_a_reader_counts_again_the_next_day():
    article = make_article()
    one = reader(8)
    one.post(f"/en/article/{article.pk}/seen/")
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        one.post(f"/en/article/{article.pk}/seen/")
    assert sum(row.count for row in DailyViews.objects.filter(article=article)) == 2


def test_the_per_address_limit_answers_429_with_retry_after(settings):
    settings.VIEW_BEACONS_PER_MINUTE = 3
    article = make_article()
    office = [
        Client(REMOTE_ADDR="192.0.2.9", HTTP_USER_AGENT=f"{BROWSER} desk{n}") for n in range(5)
    ]
    # At the start of a minute: the five beacons must share one window of the clock.
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start):
        statuses = [desk.post(f"/en/article/{article.pk}/seen/").status_code for desk in office]
        assert statuses == [204, 204, 204, 429, 429]
        assert office[4].post(f"/en/article/{article.pk}/seen/")["Retry-After"] == "60"
    assert views_of(article) == 3
    assert reader(9).post(f"/en/article/{article.pk}/seen/").status_code == 204  # another address


def test_the_per_address_limit_ends_after_a_minute(settings):
    settings.VIEW_BEACONS_PER_MINUTE = 1
    first, second = make_article(), make_article()
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start):
        assert reader(14).post(f"/en/article/{first.pk}/seen/").status_code == 204
        assert reader(14).post(f"/en/article/{second.pk}/seen/").status_code == 429
    with time_machine.travel(start + timedelta(seconds=61)):
        assert reader(14).post(f"/en/article/{second.pk}/seen/").status_code == 204
    assert (views_of(first), views_of(second)) == (1, 1)


def test_a_count_evicted_mid_beacon_starts_afresh(settings):
    settings.VIEW_BEACONS_PER_MINUTE = 2
    from django.core.cache import cache

    article = make_article()
    real_incr = cache.incr

    def window_ends_first(key, *args, **kwargs):
        cache.delete(key)  # the count is evicted between the check and the increment
        return real_incr(key, *args, **kwargs)

    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    beacon = f"/en/article/{article.pk}/seen/"
    with time_machine.travel(start):
        assert reader(15).post(beacon).status_code == 204
        with mock.patch.object(cache, "incr", window_ends_first):
            assert reader(15).post(beacon).status_code == 204  # counted afresh: 1
        assert reader(15).post(beacon).status_code == 204  # 2, still within the limit
        assert reader(15).post(beacon).status_code == 429
    with time_machine.travel(start + timedelta(seconds=61)):
        assert reader(15).post(beacon).status_code == 204


def test_a_get_without_the_page_token_counts_nothing():
    article = make_article()
    for url in (
        f"/en/article/{article.pk}/seen/",
        f"/en/article/{article.pk}/seen/?t=forged",
    ):
        response = reader(10).get(url)
        assert response["Content-Type"] == "image/gif"
    assert views_of(article) == 0


def test_another_sites_image_counts_nothing_even_with_a_copied_token(client):
    article = make_article()
    src = noscript_src(client.get(article.get_absolute_url()).content.decode())
    for number in range(5):
        visitor = reader(20 + number, HTTP_SEC_FETCH_SITE="cross-site", HTTP_SEC_FETCH_DEST="image")
        assert visitor.get(src).status_code == 200
    cross_post = reader(30, HTTP_SEC_FETCH_SITE="cross-site")
    cross_post.post(f"/en/article/{article.pk}/seen/")
    assert views_of(article) == 0
    reader(31, HTTP_SEC_FETCH_SITE="same-origin").get(src)
    assert views_of(article) == 1


def test_a_token_is_for_one_article_and_edition_and_expires(client, settings):
    article = make_article(codes=("en", "ru"))
    other = make_article()
    src = noscript_src(client.get(article.get_absolute_url()).content.decode())
    token = src.split("?t=", 1)[1]
    reader(40).get(f"/en/article/{other.pk}/seen/?t={token}")
    reader(41).get(f"/ru/article/{article.pk}/seen/?t={token}")
    assert views_of(other) == views_of(article, "ru") == 0
    lifetime = timedelta(seconds=settings.PAGE_CACHE_SECONDS + 15 * 60)
    with time_machine.travel(timezone.now() + lifetime + timedelta(seconds=5)):
        reader(42).get(src)
    assert views_of(article) == 0
    with time_machine.travel(timezone.now() + lifetime - timedelta(seconds=5)):
        reader(42).get(src)
    assert views_of(article) == 1


def test_readers_are_remembered_only_as_keyed_hashes(settings):
    # A local-memory cache, whose keys can be listed.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()  # local memory outlives the test: a run earlier in this process may fill it
    article = make_article()
    reader(43).post(f"/en/article/{article.pk}/seen/")
    assert views_of(article) == 1
    keys = " ".join(cache._cache)
    assert "seen:" in keys and "beacon-rate:" in keys
    for raw in ("10.0.0.44", "r43", "Mozilla"):
        assert raw not in keys
    values = b" ".join(cache._cache.values())
    assert b"10.0.0.44" not in values and b"Mozilla" not in values
    # ...and forgotten within a day.
    seen = [key for key in cache._cache if "seen:" in key]
    expiries = [cache._expire_info[key] for key in seen]
    assert seen and None not in expiries
    assert max(expiries) <= time.time() + 24 * 3600


def test_without_a_cache_nothing_is_counted_and_nothing_breaks(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    article = make_article()
    assert reader(50).post(f"/en/article/{article.pk}/seen/").status_code == 204
    assert views_of(article) == 0


@pytest.mark.parametrize(
    "agent", ["Googlebot/2.1", "curl/8.0", "", "Mozilla/5.0 (compatible; bingbot/2.0)"]
)
def test_bots_are_not_counted(client, agent):
    article = make_article()
    response = client.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT=agent)
    assert response.status_code == 204
    assert views_of(article) == 0


def test_a_beacon_without_any_user_agent_is_not_counted(client):
    article = make_article()
    assert client.post(f"/en/article/{article.pk}/seen/").status_code == 204
    assert views_of(article) == 0


def test_unpublished_or_missing_articles_are_not_counted(client):
    draft = make_article(status=Article.Status.DRAFT)
    client.post(f"/en/article/{draft.pk}/seen/", HTTP_USER_AGENT=BROWSER)
    assert client.post("/en/article/999999/seen/", HTTP_USER_AGENT=BROWSER).status_code == 204
    assert not DailyViews.objects.exists()


def test_counting_failure_never_breaks_the_request(client):
    article = make_article()
    with mock.patch.object(DailyViews, "record", side_effect=DatabaseError("disk full")):
        response = client.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204


@pytest.mark.django_db(transaction=True)
def test_parallel_reads_are_counted_exactly():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; real concurrency is tested on PostgreSQL")
    article = make_article()
    hits, threads = 40, 8
    errors = []
    numbers = iter(range(hits))
    lock = threading.Lock()

    def read():
        try:
            for _ in range(hits // threads):
                with lock:
                    number = next(numbers)
                reader(number).post(f"/en/article/{article.pk}/seen/")
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert views_of(article) == hits


@pytest.mark.django_db(transaction=True)
def test_parallel_http_hits_on_a_live_server_count_exactly(site):
    """N simultaneous beacon requests over real sockets, each served in its own
    server thread with its own database connection, count N."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; real concurrency is tested on PostgreSQL")
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    article = make_article()
    url = f"{site}/en/article/{article.pk}/seen/"
    hits = 64
    start = threading.Barrier(16)

    def hit(number):
        # 64 distinct readers (by user agent) behind one address, as in an office.
        request = urllib.request.Request(
            url, data=b"", method="POST", headers={"User-Agent": f"{BROWSER} r{number}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    def hit_together(number):
        if number < 16:
            start.wait()  # the first wave leaves at the same moment
        return hit(number)

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(hit_together, range(hits)))
    assert statuses == [204] * hits
    assert views_of(article) == hits


@pytest.mark.parametrize("evicted", [False, True], ids=["kept", "evicted-mid-count"])
def test_a_rate_window_leaves_the_cache_when_its_minute_ends(evicted):
    # Each window has a key of its own, so only its expiry keeps the cache from
    # filling up with the counts of past minutes.
    from django.core.cache import cache as django_cache

    from core import cache as caching

    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False) as clock:
        window = f"probe:{time.time() // 60}"
        assert caching.hits("probe", 60) == 1
        if evicted:
            real_incr = django_cache.incr

            def evicted_first(key, *args, **kwargs):
                django_cache.delete(key)
                return real_incr(key, *args, **kwargs)

            with mock.patch.object(django_cache, "incr", evicted_first):
                assert caching.hits("probe", 60) == 1
        assert django_cache.get(window) == 1
        clock.shift(timedelta(seconds=59))
        assert django_cache.get(window) == 1
        clock.shift(timedelta(seconds=2))
        assert django_cache.get(window) is None
