"""Reads are counted by the page's beacon, exactly, never for bots, never breaking a page."""

import threading
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test import Client

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


def test_article_page_carries_a_beacon_and_a_noscript_fallback(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    beacon = f"/en/article/{article.pk}/seen/"
    assert f'data-beacon="{beacon}"' in html
    assert f'<noscript><img class="beacon" src="{beacon}"' in html


def test_beacon_counts_reads_per_edition(client):
    article = make_article(codes=("en", "ru"))
    client.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT=BROWSER)
    client.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT=BROWSER)
    response = client.get(f"/ru/article/{article.pk}/seen/", HTTP_USER_AGENT=BROWSER)
    assert response["Content-Type"] == "image/gif"
    assert "no-cache" in response["Cache-Control"]
    assert (views_of(article, "en"), views_of(article, "ru")) == (2, 1)


@pytest.mark.parametrize(
    "agent", ["Googlebot/2.1", "curl/8.0", "", "Mozilla/5.0 (compatible; bingbot/2.0)"]
)
def test_bots_are_not_counted(client, agent):
    article = make_article()
    response = client.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT=agent)
    assert response.status_code == 204
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

    def read():
        try:
            browser = Client()
            for _ in range(hits // threads):
                browser.post(f"/en/article/{article.pk}/seen/", HTTP_USER_AGENT=BROWSER)
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
def test_parallel_http_hits_on_a_live_server_count_exactly(live_server):
    """N simultaneous beacon requests over real sockets, each served in its own
    server thread with its own database connection, count N."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; real concurrency is tested on PostgreSQL")
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    article = make_article()
    url = f"{live_server.url}/en/article/{article.pk}/seen/"
    hits = 64
    start = threading.Barrier(16)

    def hit(_):
        request = urllib.request.Request(
            url, data=b"", method="POST", headers={"User-Agent": BROWSER}
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
