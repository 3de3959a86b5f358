"""A cached page is answered before sessions, CSRF, sign-in, messages and lockouts
run, with one cache round trip, exactly as the page was answered when rendered."""

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.middleware.csrf import CsrfViewMiddleware
from django.test.utils import CaptureQueriesContext

from core import cache as caching
from tests.builders import make_article
from tests.caching import queries_for, warm

pytestmark = pytest.mark.django_db


class CountingCache:
    """The cache backend, with the names of the methods called on it."""

    def __init__(self, real):
        self.real = real
        self.calls = []

    def __getattr__(self, name):
        self.calls.append(name)
        return getattr(self.real, name)


@pytest.fixture
def cache_calls(monkeypatch):
    counting = CountingCache(caching.cache)
    monkeypatch.setattr(caching, "cache", counting)
    return counting.calls


@pytest.fixture
def article(client):
    client.get("/en/")  # the first page view ever creates the settings rows
    return make_article()


def test_a_hit_is_one_cache_round_trip(client, each_cache, article, cache_calls):
    for url in ("/en/", article.get_absolute_url()):
        warm(client, url)
        cache_calls.clear()
        response = client.get(url)
        assert response.status_code == 200
        # Django's Redis backend reads both keys with one MGET.
        assert cache_calls == ["get_many"]


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
