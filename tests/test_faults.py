"""When parts fail the site keeps answering sensibly and the data stays whole.

Covered elsewhere, by design of those capabilities:
- Redis unreachable → pages served without caching: tests/test_page_cache.py
  (test_redis_down_degrades_to_no_caching, RedisCache pointed at a closed port).
- A failing rates or weather source changes nothing stored:
  tests/test_widgets_rates.py and tests/test_widgets_weather.py
  (test_a_failing_feed/api_is_a_clear_error_and_changes_nothing,
  test_one_failing_city_stores_nothing_for_the_others, refused connections).
- Reads counted exactly under concurrency: tests/test_view_counting.py.
"""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from news.management.commands import load_demo
from news.models import Article, Author, Category, Tag
from tests.builders import make_article, make_author, make_category, make_tag

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_down():
    """Every new query fails as when the server is gone (as psycopg reports it)."""
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/category/news/", "/en/search/?q=senate"])
def test_database_down_gives_a_short_503_page(client, database_down, path):
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Temporarily unavailable" in html
    assert "please try again in a minute" in html


@pytest.mark.django_db
def test_503_page_is_in_the_readers_edition(client, database_down):
    html = client.get("/kk-arab/").content.decode()
    assert '<html lang="kk-Arab" dir="rtl">' in html
    assert 'href="/kk-arab/"' in html


@pytest.mark.django_db
def test_database_down_at_sign_in_is_a_503_too(client, database_down):
    response = client.post("/en/admin/login/", {"username": "editor", "password": "secret"})
    assert response.status_code == 503


def test_unreachable_postgresql_gives_the_503_page_end_to_end():
    """A real connection attempt to a closed port, through the whole middleware stack."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(raise_request_exception=False).get('/en/');"
        "print(r.status_code, r['Retry-After'], 'Temporarily unavailable' in r.content.decode())"
    )
    # No cache and no replica: the primary alone, down.
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL")}
    env.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:1/portal",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["503", "60", "True"], result.stderr[-2000:]


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_demo_load_leaves_nothing_behind():
    with (
        mock.patch.object(
            load_demo.Command, "load_articles", side_effect=KeyboardInterrupt("Ctrl-C")
        ),
        pytest.raises(KeyboardInterrupt),
    ):
        call_command("load_demo")
    # Categories, tags and authors were written before the interruption, and rolled back.
    assert (Category.objects.count(), Tag.objects.count(), Author.objects.count()) == (0, 0, 0)
    assert not Article.objects.exists()
    call_command("load_demo")  # and the next run loads everything
    assert Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_generator_leaves_only_whole_batches():
    for _ in range(3):
        make_category(), make_tag(), make_author()
    make_article()
    authors = Article.authors.through.objects
    real_bulk_create = authors.bulk_create
    calls = []

    def fail_in_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt("Ctrl-C")
        return real_bulk_create(*args, **kwargs)

    with (
        mock.patch.object(authors, "bulk_create", side_effect=fail_in_the_second_batch),
        pytest.raises(KeyboardInterrupt),
    ):
        call_command("generate_articles", "--count", "30", "--batch-size", "10", "--seed", "3")
    generated = Article.objects.filter(slug__startswith="generated-")
    # The first batch whole; of the second, whose articles and tags were already
    # inserted when it failed, nothing.
    assert generated.count() == 10
    assert not generated.filter(authors=None).exists()
    assert not generated.filter(tags=None).exists()
