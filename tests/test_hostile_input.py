"""Hostile input never breaks a page: generated paths, query strings, headers and
form posts against every public route of every edition never get a 500.

Profiles (HYPOTHESIS_PROFILE): `ci` (default, about 300 requests in all) and
`full` (at least 10,000): `HYPOTHESIS_PROFILE=full pytest tests/test_hostile_input.py -s`
prints how many requests were made.
"""

import os
import string
from urllib.parse import quote, unquote_to_bytes

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import editions
from news.models import Article
from tests.builders import make_article, make_author, make_category, make_tag

TESTS = 5  # the @given tests below share the profile's budget
settings.register_profile(
    "ci",
    max_examples=300 // TESTS,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
settings.register_profile(
    "full",
    max_examples=10_000 // TESTS + 1,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
hostile = settings(settings.get_profile(PROFILE))

pytestmark = pytest.mark.django_db

REQUESTS = {"count": 0}

# Text as attackers send it: control characters, quotes, markup, percent
# escapes, traversal, very long runs, right-to-left marks, and any Unicode.
NASTY = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=string.printable, max_size=80),
    st.sampled_from(
        [
            "",
            "%",
            "%00",
            "%ff%fe",
            "\x00",
            "../../etc/passwd",
            "..%2f..%2f",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            '"><img src=x onerror=alert(1)>',
            "\u202e\u200f",
            "a" * 5000,
            "😀" * 100,
            "%ed%a0%80",  # a UTF-16 surrogate in UTF-8: invalid
            "${jndi:ldap://x}",
            "{{7*7}}",
            "%s%s%s%n",
        ]
    ),
)


@pytest.fixture
def newsroom():
    """One of each in every edition, so every route has something to show."""
    category = make_category("news", name="News")
    tag = make_tag("senate", name="Senate")
    author = make_author("adlet", name="Adlet")
    article = make_article(
        codes=editions.CODES, category=category, tags=[tag], authors=[author], slug="senate"
    )
    return article


def routes(article):
    """Every public route, as a path template; {e} is the edition, {x} generated text."""
    return [
        "/{e}/",
        "/{e}/category/news/",
        "/{e}/category/{x}/",
        "/{e}/category/news/rss/",
        f"/{{e}}/article/{article.pk}-senate/",
        f"/{{e}}/article/{article.pk}-{{x}}/",
        f"/{{e}}/article/{article.pk}/",
        "/{e}/article/{x}/",
        f"/{{e}}/article/{article.pk}/seen/",
        "/{e}/tag/senate/",
        "/{e}/tag/{x}/",
        "/{e}/author/adlet/",
        "/{e}/author/{x}/",
        "/{e}/search/",
        "/{e}/rss/",
        "/{e}/preview/{x}/",
        "/{e}/admin/login/",
        "/{e}/{x}",
        "/sitemap.xml",
        "/sitemap-{x}.xml",
        "/sitemap-{e}.xml",
        "/news-sitemap.xml",
        "/news-sitemap-{e}.xml",
        "/robots.txt",
        "/i18n/setlang/",
        "/{x}",
        "/",
    ]


ROUTE = st.integers(min_value=0, max_value=len(routes(Article(pk=1))) - 1)
# Routes of pages kept in the page cache: home, category, article, tag, author.
CACHED = [
    routes(Article(pk=1)).index(template)
    for template in (
        "/{e}/",
        "/{e}/category/news/",
        "/{e}/article/1-senate/",
        "/{e}/tag/senate/",
        "/{e}/author/adlet/",
    )
]
EDITION = st.sampled_from([*editions.CODES, "xx", "EN", "kk-latn-x", ""])


def path_for(article, route, edition, text, raw=False):
    segment = text if raw else quote(text, safe="")
    return routes(article)[route].replace("{e}", edition).replace("{x}", segment)


def request(client, method, path, **extra):
    # Empty the page cache before every request: a page cached by an earlier
    # example (or by the request just before) would answer in the view's place,
    # so the hostile headers or parameters would never reach it.
    cache.clear()
    REQUESTS["count"] += 1
    response = getattr(client, method)(path, **extra)
    assert response.status_code < 500, (method, path, extra, response.status_code)
    return response


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    print(f"\nhostile input ({PROFILE} profile): {REQUESTS['count']} requests")


@hostile
@given(route=ROUTE, edition=EDITION, text=NASTY, raw=st.booleans())
def test_generated_paths(newsroom, route, edition, text, raw):
    path = path_for(newsroom, route, edition, text, raw)
    # As a WSGI server hands it over: the request line's bytes, percent-decoded,
    # as latin-1. Set directly, since the test client would read "//[" as a host.
    request(Client(), "get", "/", PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"))


@hostile
@given(
    route=ROUTE,
    edition=st.sampled_from(editions.CODES),
    params=st.lists(st.tuples(NASTY, NASTY), max_size=6),
    raw_query=NASTY,
)
def test_generated_query_strings(newsroom, route, edition, params, raw_query):
    path = path_for(newsroom, route, edition, "news")
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params)
    for name in ("q", "page", "next", "language"):
        query += f"&{name}={quote(raw_query)}"
    request(Client(), "get", f"{path}?{query}")
    request(Client(), "get", path, QUERY_STRING=quote(raw_query, safe="=&%?+"))


HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=200
) | st.sampled_from(["*", "en;q=abc", "xx-YY,zz;q=0.9,*;q=0", "kk-arab;q=1", ";;;", ","])


# Hosts that pass ALLOWED_HOSTS (odd case, ports, a trailing dot) reach the
# views; arbitrary text is refused with a 400 before any view runs.
HOST = HEADER_TEXT | st.sampled_from(
    ["localhost", "LOCALHOST", "localhost:99999", "127.0.0.1:0", "testserver.", "localhost:80"]
)


@hostile
@given(
    route=ROUTE,
    edition=st.sampled_from(editions.CODES),
    accept_language=HEADER_TEXT,
    cookie=HEADER_TEXT,
    host=HOST,
    agent=HEADER_TEXT,
    forwarded=HEADER_TEXT,
)
# Always included: an odd but allowed Host on each cacheable page, so the view
# itself (not a copy cached by the first request) meets it.
@example(
    route=CACHED[0],
    edition="en",
    accept_language="",
    cookie="",
    host="localhost:99999",
    agent="",
    forwarded="",
)
@example(
    route=CACHED[1],
    edition="kk-arab",
    accept_language="*",
    cookie=";;;",
    host="LOCALHOST",
    agent="",
    forwarded=",",
)
@example(
    route=CACHED[2],
    edition="zh-hans",
    accept_language="",
    cookie="",
    host="testserver.",
    agent="\xff",
    forwarded="",
)
@example(
    route=CACHED[3],
    edition="ru",
    accept_language="",
    cookie="",
    host="127.0.0.1:0",
    agent="",
    forwarded="",
)
@example(
    route=CACHED[4],
    edition="uz",
    accept_language="",
    cookie="",
    host="localhost:80",
    agent="",
    forwarded="",
)
def test_generated_headers(
    newsroom, route, edition, accept_language, cookie, host, agent, forwarded
):
    path = path_for(newsroom, route, edition, "news")
    headers = {
        "HTTP_ACCEPT_LANGUAGE": accept_language,
        "HTTP_COOKIE": cookie,
        "HTTP_USER_AGENT": agent,
        "HTTP_X_FORWARDED_FOR": forwarded,
        "HTTP_REFERER": host,
    }
    request(Client(), "get", path, **headers)
    request(Client(), "get", path, HTTP_HOST=host, **headers)


FORM = st.dictionaries(
    st.sampled_from(["username", "password", "language", "next", "q", "csrfmiddlewaretoken"])
    | NASTY,
    NASTY | st.lists(NASTY, max_size=3),
    max_size=6,
)


@hostile
@given(route=ROUTE, edition=st.sampled_from(editions.CODES), data=FORM, csrf=st.booleans())
def test_generated_form_posts(newsroom, route, edition, data, csrf):
    path = path_for(newsroom, route, edition, "news")
    request(Client(enforce_csrf_checks=csrf), "post", path, data=data)


@hostile
@given(
    edition=st.sampled_from(editions.CODES),
    body=st.binary(max_size=2000),
    content_type=HEADER_TEXT
    | st.sampled_from(
        ["multipart/form-data", "multipart/form-data; boundary=x", "application/json"]
    ),
    target=st.sampled_from(["/i18n/setlang/", "/{e}/admin/login/", "/{e}/search/", "SEEN"]),
)
def test_generated_raw_bodies(newsroom, edition, body, content_type, target):
    path = target.replace("{e}", edition)
    if target == "SEEN":
        path = f"/{edition}/article/{newsroom.pk}/seen/"
    request(Client(), "post", path, data=body, content_type=content_type)
