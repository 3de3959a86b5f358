"""The warm-up run where the application is loaded (core.warmup, portal/wsgi.py): with
gunicorn's preload_app, in the master, before it forks workers that must not share its
connections."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, connections
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

from core import editions, prepared
from core.warmup import own_templates, warm_up
from news.models import (
    ArticleQuerySet,
    EditionQuerySet,
    Tag,
    _article_page,
    _related_headlines,
    listing_page_query,
    most_read,
    subject_page_query,
)
from news.pagination import MAX_PAGES
from news.search import readable_matches_up_to
from news.templatetags.news import POPULAR_LIMIT
from news.views import PAGE_SIZE
from tests.builders import make_article, make_tag


def test_warming_up_compiles_the_projects_templates_without_touching_the_database():
    # Not marked django_db: pytest-django refuses any database access here.
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    warm_up()

    for name in ("base.html", "news/article.html", "includes/header.html", "404.html"):
        assert name in own_templates()
        assert name in loader.get_template_cache, name


def forget_compiled_queries():
    for query in list(prepared._made):
        query._compiled = {}


def test_loading_the_application_with_redis_imports_its_client_library():
    # In a process of its own, as gunicorn's master loads it; nothing listens on port 9,
    # which is fine: the backend connects on first use, never while loading.
    environment = {**os.environ, "REDIS_URL": "redis://127.0.0.1:9/0"}
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, portal.wsgi; print('redis' in sys.modules)"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "True"


def test_warming_up_builds_the_reverse_table_of_every_edition():
    resolver = get_resolver()
    resolver._reverse_dict.clear()

    warm_up()

    assert set(editions.CODES) <= set(resolver._reverse_dict)


def test_warming_up_compiles_the_prepared_queries_of_every_edition_without_touching_the_database():
    # Not marked django_db: compiling must not connect, as in gunicorn's master.
    forget_compiled_queries()

    warm_up()

    made = [
        _article_page,
        _related_headlines,
        most_read(POPULAR_LIMIT + 1),
        subject_page_query(Tag),
        listing_page_query("tags", 1, PAGE_SIZE + 1),
        readable_matches_up_to(MAX_PAGES * PAGE_SIZE + 1),
    ]
    everywhere = {(alias, code) for alias in connections for code in editions.CODES}
    for query in made:
        assert set(query._compiled) == everywhere


@pytest.mark.django_db
def test_after_warming_up_an_editions_first_pages_build_no_query(client, monkeypatch):
    tag = make_tag()
    article = make_article(codes=("kk-arab", "en"), tags=[tag], title="Warm")
    make_article(codes=("kk-arab",), tags=[tag], title="Related")
    forget_compiled_queries()
    warm_up()
    # Any query built now, by the ORM's readers' filters, fails the page.
    monkeypatch.setattr(ArticleQuerySet, "for_readers", None)
    monkeypatch.setattr(EditionQuerySet, "with_edition_flags", None)
    with translation.override("kk-arab"):
        pages = [(article.get_absolute_url(), "Related"), (tag.get_absolute_url(), "Warm")]
    if connection.vendor == "postgresql":
        # Counted by a prepared query there; a search that finds nothing reads no match
        # (reading matches ranks them with the ORM).
        pages.append(("/kk-arab/search/?q=Nowhere", "Nowhere"))

    for path, shown in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert shown in response.content.decode(), path
