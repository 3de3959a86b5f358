"""A cached page is answered before sessions, CSRF, sign-in, messages and lockouts
run, with one cache round trip, exactly as the page was answered when rendered."""

import datetime
import time
from datetime import timedelta

import pytest
import redis
import time_machine
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from django.views import View

from core import cache as caching
from core.redis_cache import Watch
from news.models import Article
from portal.urls import urlpatterns as site_urls
from tests.builders import make_article
from tests.caching import REDIS_TEST_URL, queries_for, redis_cache, require_redis, warm

pytestmark = pytest.mark.django_db

renders = []


class UsesTheCsrfToken(caching.PublicPageCacheMixin, View):
    """A page with a form: the CSRF middleware gives its reader a cookie of their own."""

    def get(self, request):
        renders.append(request.path)
        return HttpResponse(f"<form>{get_token(request)}</form>")


class NotMarked(View):
    def get(self, request):
        renders.append(request.path)
        return HttpResponse("made for each request")


class ChangesByItself(caching.PublicPageCacheMixin, View):
    """A page showing something that expires 1.5 s after it is rendered."""

    def get(self, request):
        renders.append(request.path)
        caching.changes_at(timezone.now() + timedelta(seconds=1.5))
        return HttpResponse("a banner until soon")


class ChangesInHalfAMinute(caching.PublicPageCacheMixin, View):
    def get(self, request):
        renders.append(request.path)
        caching.changes_at(timezone.now() + timedelta(seconds=30))
        return HttpResponse("a banner for half a minute")


class Plain(caching.PublicPageCacheMixin, View):
    """A page that changes only with the content generation."""

    def get(self, request):
        renders.append(request.path)
        return HttpResponse(f"render {len(renders)}")


urlpatterns = [
    *i18n_patterns(
        path("with-a-form/", UsesTheCsrfToken.as_view()),
        path("not-marked/", NotMarked.as_view()),
        path("changes/", ChangesByItself.as_view()),
        path("changes-later/", ChangesInHalfAMinute.as_view()),
        path("plain/", Plain.as_view()),
    ),
    *site_urls,
]


class CountingCache:
    """The cache backend, noting each method called on it: (name, first argument)."""

    def __init__(self, real):
        self.real = real
        self.calls = []

    def __getattr__(self, name):
        method = getattr(self.real, name)

        def noted(*args, **kwargs):
            self.calls.append((name, args[0] if args else None))
            return method(*args, **kwargs)

        return noted


@pytest.fixture
def cache_calls(monkeypatch):
    counting = CountingCache(caching.cache)
    monkeypatch.setattr(caching, "cache", counting)
    return counting.calls


@pytest.fixture
def article(client):
    client.get("/en/")  # the first page view ever creates the settings rows
    return make_article()


def round_trips(calls):
    """The calls that went to the cache server: not those to what Redis announced to this
    process (core.redis_cache.Watch), which read it from the process's own subscription."""
    return [(name, keys) for name, keys in calls if name not in ("announced", "confirm")]


def test_a_hit_is_one_cache_round_trip(client, each_cache, article, cache_calls):
    for url in ("/en/", article.get_absolute_url()):
        warm(client, url)
        caching.local_copies.clear()  # as on a worker that never served it
        cache_calls.clear()
        response = client.get(url)
        assert response.status_code == 200
        # Django's Redis backend reads both keys with one MGET.
        assert [name for name, _keys in round_trips(cache_calls)] == ["get_many"]


def test_a_worker_that_served_a_page_asks_the_files_only_for_the_generation(
    client, article, cache_calls
):
    url = article.get_absolute_url()
    warm(client, url)
    first = client.get(url)
    cache_calls.clear()
    again = client.get(url)
    assert [keys for _name, keys in round_trips(cache_calls)] == [[caching.GENERATION_KEY]]
    assert again.content == first.content
    assert again.items() == first.items()


@pytest.fixture
def redis_announces(settings):
    require_redis()
    settings.CACHES = redis_cache()
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_worker_holding_a_page_of_the_announced_generation_asks_redis_nothing(
    client, redis_announces, article, cache_calls
):
    url = article.get_absolute_url()
    warm(client, url)
    first = client.get(url)
    cache_calls.clear()
    again = client.get(url)
    assert round_trips(cache_calls) == []
    assert again.content == first.content
    assert again.items() == first.items()


def test_another_worker_with_no_copy_fetches_the_page_with_the_generation(
    client, each_cache, article, cache_calls
):
    url = article.get_absolute_url()
    warm(client, url)
    caching.local_copies.clear()
    cache_calls.clear()
    assert client.get(url).status_code == 200
    ((_name, keys),) = round_trips(cache_calls)
    assert keys[0] == caching.GENERATION_KEY and keys[1].startswith("page:")


def test_a_change_another_process_announced_is_shown_over_a_workers_copy(client, each_cache):
    article = make_article("Before the edit")
    url = article.get_absolute_url()
    warm(client, url)
    # Another process (an editor's worker, a command from cron) saves the change: this
    # worker's signals never ran; the new generation reaches it through the cache
    # (announced by Redis to every worker, read from the files).
    Article.objects.filter(pk=article.pk).update(title_en="After the edit")
    caching._announce(caching.GENERATION_KEY, caching.new_generation())
    assert "After the edit" in client.get(url).content.decode()


def test_a_generation_written_unannounced_is_read_once_the_announced_one_is_old(
    client, redis_announces, article, monkeypatch
):
    # Redis evicted the key, or a link dropped without a word lost the announcement.
    monkeypatch.setattr(Watch, "TRUST_SECONDS", 0.3)
    url = article.get_absolute_url()
    warm(client, url)
    Article.objects.filter(pk=article.pk).update(title_en="Written unannounced")
    caching.cache.set(caching.GENERATION_KEY, caching.new_generation(), None)
    time.sleep(0.35)
    assert "Written unannounced" in client.get(url).content.decode()


def test_a_worker_whose_subscription_was_cut_asks_redis_again(
    client, redis_announces, article, cache_calls
):
    url = article.get_absolute_url()
    warm(client, url)
    # Redis ends the subscriptions (a restart, a failover), then the change is announced
    # to nobody.
    server = redis.Redis.from_url(REDIS_TEST_URL)
    assert server.client_kill_filter(_type="pubsub") >= 1
    Article.objects.filter(pk=article.pk).update(title_en="Announced to nobody")
    caching._announce(caching.GENERATION_KEY, caching.new_generation())
    cache_calls.clear()
    assert "Announced to nobody" in client.get(url).content.decode()
    assert round_trips(cache_calls)


def test_emptying_redis_is_announced_to_every_worker(client, redis_announces, article):
    url = article.get_absolute_url()
    warm(client, url)
    Article.objects.filter(pk=article.pk).update(title_en="After the cache was emptied")
    caches["default"].clear()
    assert "After the cache was emptied" in client.get(url).content.decode()


def test_a_workers_copies_stay_within_their_memory_budget():
    copies = caching.LocalCopies(max_bytes=8_000)
    for number in range(20):
        copies.put(f"page:{number}", (1, 200, [], b"x" * 1_000, float("inf"), time.time() + 60))
        assert copies.size <= 8_000
    assert copies.get("page:19") is not None and copies.get("page:0") is None
    copies.put("page:big", (1, 200, [], b"x" * 2_000, float("inf"), time.time() + 60))
    assert copies.get("page:big") is None  # larger than an eighth: never pushes out the rest


def test_a_hit_runs_no_session_csrf_or_sign_in(client, each_cache, article, monkeypatch):
    url = article.get_absolute_url()
    warm(client, url)

    def must_not_run(*args, **kwargs):
        raise AssertionError("the middleware behind the page cache ran for a hit")

    monkeypatch.setattr(SessionMiddleware, "process_request", must_not_run)
    monkeypatch.setattr(CsrfViewMiddleware, "process_request", must_not_run)
    response, queries = queries_for(client, url)
    assert response.status_code == 200 and queries == 0
    assert not response.cookies


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_hit_answers_with_the_headers_of_the_rendered_page(client, each_cache, article, method):
    def answer(url):
        with CaptureQueriesContext(connection) as queries:
            return getattr(client, method)(url), len(queries)

    for url in ("/en/", article.get_absolute_url(), f"/en/article/{article.pk}/"):
        rendered, queries = answer(url)
        assert queries > 0, url
        hit, queries = answer(url)
        assert queries == 0, url
        assert hit.status_code == rendered.status_code
        assert dict(hit.items()) == dict(rendered.items()), url
        assert "Cookie" in hit["Vary"] and "Content-Language" in hit
        assert not hit.cookies and not rendered.cookies
        assert hit.content == rendered.content


def test_a_reader_with_a_session_gets_the_page_rendered(client, settings, article):
    url = article.get_absolute_url()
    warm(client, url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "someone-s-session"
    response, queries = queries_for(client, url)
    assert response.status_code == 200 and queries > 0


def test_other_addresses_pay_no_cache_lookup(client, cache_calls):
    assert client.get("/healthz").status_code == 200
    assert cache_calls == []


def test_a_hit_still_refuses_a_host_not_allowed(client, article):
    url = article.get_absolute_url()
    warm(client, url)
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


def test_a_page_rendered_without_a_content_generation_is_not_kept(client, article, monkeypatch):
    # The cache answered the lookup (no generation stored) but not the generation's start.
    caching.cache.delete(caching.GENERATION_KEY)
    monkeypatch.setattr(caching, "generation", lambda: None)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    _page, queries = queries_for(client, url)
    assert queries > 0


def test_a_page_of_an_older_content_generation_is_not_served(client, article):
    url = article.get_absolute_url()
    warm(client, url)
    caching.bump_generation()  # as any change readers see does
    _page, queries = queries_for(client, url)
    assert queries > 0


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/en/with-a-form/", "/en/not-marked/"])
def test_only_pages_marked_for_everyone_are_kept(client, url):
    renders.clear()
    first, second = client.get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    assert renders == [url, url]
    assert first.content != second.content or "public" not in first.get("Cache-Control", "")


def test_a_form_sent_to_a_cached_address_reaches_the_view(client, article):
    url = article.get_absolute_url()
    warm(client, url)
    assert client.post(url).status_code == 405  # the article page takes no form


def test_with_page_caching_off_nothing_is_stored(client, settings, article, cache_calls):
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get(article.get_absolute_url()).status_code == 200
    assert [key for name, key in cache_calls if name == "set" and key.startswith("page:")] == []


def test_a_not_found_answer_is_not_offered_to_shared_caches(client, article):
    response = client.get(f"/ru/article/{article.pk}-{article.slug}/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.urls(__name__)
def test_a_copy_is_never_served_past_the_moment_its_page_changes(client, each_cache):
    renders.clear()
    assert client.get("/en/changes/")["Cache-Control"] == "public, max-age=1"
    # The copy was stored before the answer came back: past its whole second now,
    # but not past the page's own 1.5 s.
    time.sleep(1.05)
    client.get("/en/changes/")  # the copy is kept whole seconds, rounded down: gone at 1 s
    assert renders == ["/en/changes/", "/en/changes/"]


def test_redis_commands_share_one_client(settings):
    # Building a redis.Redis per command was a third of a hit's time.
    require_redis()
    settings.CACHES = redis_cache()
    backend = caches["default"]._cache
    assert backend.get_client("a") is backend.get_client("b")
    assert caches["default"].get_many(["a", "b"]) == {}


@pytest.mark.urls(__name__)
def test_a_hit_tells_shared_caches_only_the_time_its_page_has_left(client, each_cache):
    """A page that changes by itself in 30 s, served from its copy 20 s later, says 10 s
    are left: a CDN must not hold it past the moment its page changes."""
    renders.clear()
    stored_at = timezone.now()
    with time_machine.travel(stored_at, tick=False):
        assert client.get("/en/changes-later/")["Cache-Control"] == "public, max-age=30"
    with time_machine.travel(stored_at + timedelta(seconds=20), tick=False):
        response, queries = queries_for(client, "/en/changes-later/")
    assert renders.count("/en/changes-later/") == 1  # the second answer was the copy
    assert response["Cache-Control"] == "public, max-age=10"


def test_a_registered_fragment_is_read_with_the_others_in_one_round_trip(
    client, article, cache_calls, monkeypatch
):
    monkeypatch.setattr(caching, "_page_fragments", list(caching._page_fragments))
    caching.page_fragment(lambda code: f"test-fragment:{code}")
    assert client.get(article.get_absolute_url()).status_code == 200
    reads = [keys for name, keys in cache_calls if name == "get_many"]
    fragment_reads = [keys for keys in reads if any("test-fragment:" in key for key in keys)]
    assert len(fragment_reads) == 1, reads
    assert f"test-fragment:en:g{caching.generation()}" in fragment_reads[0]


@pytest.mark.urls(__name__)
def test_a_copy_is_served_until_the_very_moment_its_page_changes(client, each_cache):
    renders.clear()
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        client.get("/en/changes-later/")
    with time_machine.travel(start + timedelta(seconds=29.5), tick=False):
        client.get("/en/changes-later/")  # half a second left: the copy still answers
    assert renders == ["/en/changes-later/"]
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/en/changes-later/")  # the moment the page changes: rendered afresh
    assert renders == ["/en/changes-later/", "/en/changes-later/"]


@pytest.mark.urls(__name__)
def test_a_page_with_one_second_left_is_kept_for_that_second(client, each_cache):
    renders.clear()
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        assert client.get("/en/changes/")["Cache-Control"] == "public, max-age=1"
    with time_machine.travel(start + timedelta(seconds=0.5), tick=False):
        client.get("/en/changes/")
    assert renders == ["/en/changes/"]


def stored_at(client, settings, path, page_cache_seconds=60):
    """Store `path`'s page now, kept at most `page_cache_seconds`: (the moment it was
    stored, the moment its copy goes late). Each page is kept a little less, by its key."""
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    renders.clear()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(path)
    copy = caching.cache.get(caching.page_key(RequestFactory().get(path)))
    late = datetime.datetime.fromtimestamp(copy[5], tz=datetime.UTC)
    assert start + timedelta(seconds=page_cache_seconds * 3 / 4 - 1) <= late
    assert late <= start + timedelta(seconds=page_cache_seconds)
    return start, late


def another_request_is_renewing(path):
    """As if another worker had found the page late and were rendering it afresh."""
    key = caching.page_key(RequestFactory().get(path))
    assert caching.add(f"renewing:{key}", 1, caching.STALE_SECONDS)


@pytest.mark.urls(__name__)
def test_the_first_request_for_a_page_past_its_time_renders_it_afresh(client, each_cache, settings):
    _start, late = stored_at(client, settings, "/en/plain/")
    with time_machine.travel(late + timedelta(seconds=1), tick=False):
        assert client.get("/en/plain/").content == b"render 2"
    assert renders == ["/en/plain/", "/en/plain/"]


@pytest.mark.urls(__name__)
def test_while_one_request_renders_a_late_page_the_others_get_the_late_copy(
    client, each_cache, settings
):
    _start, late = stored_at(client, settings, "/en/plain/")
    with time_machine.travel(late + timedelta(seconds=1), tick=False):
        another_request_is_renewing("/en/plain/")
        response = client.get("/en/plain/")
    assert response.content == b"render 1"
    assert renders == ["/en/plain/"]
    # Not for a CDN to keep: the page is being renewed.
    assert response["Cache-Control"] == "public, max-age=0"


@pytest.mark.urls(__name__)
def test_a_late_copy_is_served_only_for_a_few_seconds(client, each_cache, settings):
    _start, late = stored_at(client, settings, "/en/plain/")
    with time_machine.travel(late + timedelta(seconds=1 + caching.STALE_SECONDS), tick=False):
        another_request_is_renewing("/en/plain/")
        assert client.get("/en/plain/").content == b"render 2"


@pytest.mark.urls(__name__)
def test_a_late_copy_is_never_served_after_an_edit(client, each_cache, settings):
    _start, late = stored_at(client, settings, "/en/plain/")
    caching.bump_generation()
    with time_machine.travel(late + timedelta(seconds=1), tick=False):
        another_request_is_renewing("/en/plain/")
        assert client.get("/en/plain/").content == b"render 2"


@pytest.mark.urls(__name__)
def test_a_late_copy_is_never_served_past_the_moment_its_page_changes(client, each_cache, settings):
    # Late from 15-20 s (by its key), changed at 30 s.
    start, late = stored_at(client, settings, "/en/changes-later/", page_cache_seconds=20)
    with time_machine.travel(late + timedelta(seconds=5), tick=False):
        another_request_is_renewing("/en/changes-later/")
        client.get("/en/changes-later/")
    assert renders == ["/en/changes-later/"]
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/en/changes-later/")
    assert renders == ["/en/changes-later/", "/en/changes-later/"]


@pytest.mark.urls(__name__)
def test_each_time_a_page_is_late_a_request_renders_it_afresh(client, each_cache, settings):
    settings.PAGE_CACHE_SECONDS = 2  # shorter than a late copy may answer
    renders.clear()
    start = timezone.now()
    for seconds in (0, 2.5, 5, 7.5):
        with time_machine.travel(start + timedelta(seconds=seconds), tick=False):
            client.get("/en/plain/")
    assert renders == ["/en/plain/"] * 4


@pytest.mark.urls(__name__)
def test_pages_stored_together_go_late_at_different_moments(client, each_cache, settings):
    # A crawler walking a listing stores its pages within a second: were all of them late
    # in one second too, all would be rendered again at once.
    settings.PAGE_CACHE_SECONDS = 60
    renders.clear()
    start = timezone.now()
    paths = [f"/en/plain/?page={number}" for number in range(1, 41)]
    with time_machine.travel(start, tick=False):
        for path in paths:
            client.get(path)
    copies = [caching.cache.get(caching.page_key(RequestFactory().get(path))) for path in paths]
    kept = {round(copy[5] - start.timestamp()) for copy in copies}
    assert len(kept) >= 8 and min(kept) >= 45 and max(kept) <= 60
    renders.clear()
    with time_machine.travel(start + timedelta(seconds=52), tick=False):
        for path in paths:
            client.get(path)
    assert 0 < len(renders) < len(paths)  # some late and rendered afresh, the rest still fresh
