"""The admin's search box and pickers ignore case in every script, on SQLite and PostgreSQL,
and the article list never counts the whole table.

Run on both databases: plain `pytest` (SQLite) and with DATABASE_URL set to PostgreSQL.
"""

import importlib
import re
import types

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Article, Author, Category, Tag
from news.pagination import LargeTablePaginator
from tests.admin_helpers import CHIEF_EDITOR, make_staff
from tests.builders import make_article, make_author, make_category, make_gallery, make_tag

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/news/article/"

# (edition, the title as written, the searches that must find it): the title's own
# capitals, all small and all capital letters.
SCRIPTS = [
    ("en", "Mediaforum opens", ["mediaforum", "MEDIAFORUM", "MediaForum"]),
    ("ru", "Медиафорум открылся", ["медиафорум", "МЕДИАФОРУМ", "МедиаФорум"]),
    ("kk", "Өңірлер Қазақстанда", ["өңірлер", "ӨҢІРЛЕР", "ҚАЗАҚСТАНДА"]),
    # Kazakh Latin: İ is the capital of i, I the capital of ı.
    ("kk-latn", "Öñırler İnvestisiia", ["öñırler", "ÖÑIRLER", "investisiia", "İNVESTİSİİA"]),
    # No case in Chinese: full-width Latin matches its usual form, either case.
    ("zh-hans", "ＡＰＥＣ峰会开幕", ["apec", "APEC峰会", "峰会"]),
    # No case in Arabic script: the word as written, with and without its hamza.
    ("kk-arab", "ٴوڭىرلەر قازاقستاندا", ["قازاقستاندا", "ٴوڭىرلەر"]),
    ("uz", "Ўзбекистон Медиафоруми", ["ўзбекистон", "ЎЗБЕКИСТОН", "медиафоруми"]),
]


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))


def search(client, term):
    response = client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def picker(client, field_name, term):
    response = client.get(
        "/en/admin/autocomplete/",
        {"term": term, "app_label": "news", "model_name": "article", "field_name": field_name},
    )
    assert response.status_code == 200
    return [int(result["id"]) for result in response.json()["results"]]


@pytest.mark.parametrize("code, title, terms", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_article_search_ignores_case_in_every_script(client, chief, code, title, terms):
    article = make_article(title, codes=(code,))
    make_article("Something else", codes=("en", "ru"))
    for term in terms:
        assert search(client, term) == [article], term


@pytest.mark.parametrize("code, title, terms", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_pickers_ignore_case_in_every_script(client, chief, code, title, terms):
    tag = make_tag(name=title, codes=(code,))
    author = make_author(name=title, codes=(code,))
    article = make_article(title, codes=(code,))
    make_tag(name="Other")
    make_author(name="Other")
    make_article("Other")
    for term in terms:
        assert picker(client, "tags", term) == [tag.pk], term
        assert picker(client, "authors", term) == [author.pk], term
        assert picker(client, "related", term) == [article.pk], term


def test_the_example_of_the_issue(client, chief):
    """ "Медиафорум" was found by "медиафорум" but not by itself on SQLite."""
    article = make_article("Медиафорум", codes=("ru",))
    for term in ("Медиафорум", "медиафорум", "МЕДИАФОРУМ"):
        assert search(client, term) == [article]


def test_every_word_must_match_and_a_quoted_phrase_stays_whole(client, chief):
    both = make_article("Сенат одобрил закон", codes=("ru",))
    make_article("Сенат собрался", codes=("ru",))
    assert search(client, "СЕНАТ закон") == [both]
    assert search(client, '"одобрил ЗАКОН"') == [both]
    assert search(client, '"закон одобрил"') == []


def test_search_finds_the_slug(client, chief):
    article = make_article(slug="astana-media-forum-2026")
    assert search(client, "Media-Forum") == [article]


def test_category_tag_and_author_lists_search_any_case(client, chief):
    made = {
        "category": make_category(name="Экономика", codes=("ru",)),
        "tag": make_tag(name="Экономика", codes=("ru",)),
        "author": make_author(name="Экономика", codes=("ru",)),
    }
    for model_name, row in made.items():
        response = client.get(f"/en/admin/news/{model_name}/", {"q": "ЭКОНОМИКА"})
        assert list(response.context["cl"].result_list) == [row]


def test_search_column_follows_every_save():
    article = make_article("Первый", codes=("ru",))
    assert "первый" in article.admin_search
    article.title_ru = "ВТОРОЙ"
    article.save(update_fields=["title_ru"])
    article.refresh_from_db()
    assert "второй" in article.admin_search and "первый" not in article.admin_search
    # A partial save of something else leaves it as it was.
    article.featured = True
    article.save(update_fields=["featured"])
    assert Article.objects.get(pk=article.pk).admin_search == article.admin_search


def test_a_deferred_title_is_read_not_dropped():
    article = make_article("Заголовок", codes=("ru",))
    loaded = Article.objects.only("pk", "featured").get(pk=article.pk)
    loaded.save()
    assert "заголовок" in Article.objects.get(pk=article.pk).admin_search


def test_migration_fills_rows_saved_before_it():
    article = make_article("Медиафорум", codes=("ru",))
    tag = make_tag(name="Экономика", codes=("kk",))
    Article.objects.filter(pk=article.pk).update(admin_search="")
    Tag.objects.filter(pk=tag.pk).update(admin_search="")
    migration = importlib.import_module("news.migrations.0008_admin_search_slugs_list")
    migration.fill(django_apps, types.SimpleNamespace(connection=connection))
    assert "медиафорум" in Article.objects.get(pk=article.pk).admin_search
    assert "экономика" in Tag.objects.get(pk=tag.pk).admin_search


@pytest.mark.parametrize("model", [Article, Category, Tag, Author])
def test_postgresql_searches_through_a_trigram_index(model):
    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
    name = f"news_{model._meta.model_name}_admin_search_trgm"
    sql, params = model.objects.filter(admin_search__contains="медиафорум").query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be read from the table anyway: ask whether the index can
        # serve, as it does at a million rows, where reading every row is the slow plan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert name in plan, plan


# --- No COUNT(*) over the whole table ------------------------------------------------


def counts_of_articles(queries):
    return [
        query["sql"]
        for query in queries
        if "COUNT(" in query["sql"].upper() and re.search(r'FROM "news_article"', query["sql"])
    ]


def test_article_list_counts_only_up_to_a_cap(client, chief):
    for _ in range(3):
        make_article()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    counts = counts_of_articles(queries.captured_queries)
    # One count, of the list itself (no "(N total)" of the whole table), stopped at the cap.
    assert len(counts) == 1, counts
    assert f"LIMIT {LargeTablePaginator.EXACT_UP_TO + 1}" in counts[0]
    assert "3 articles" in response.content.decode()


def test_filter_counts_are_not_offered_even_when_asked_for(client, chief):
    make_article()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"_facets": "True"})
    assert response.status_code == 200
    assert len(counts_of_articles(queries.captured_queries)) == 1
    assert "Show counts" not in response.content.decode()


def test_beyond_the_cap_the_list_says_about_or_more_than(client, chief, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "EXACT_UP_TO", 3)
    for _ in range(5):
        make_article()
    html = client.get(CHANGELIST).content.decode()
    if connection.vendor == "postgresql":
        assert re.search(r"About \d+ articles", html)
    else:
        assert "More than 3 articles" in html
    assert "5 articles" not in html


@pytest.mark.parametrize("code, title, terms", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_gallery_search_ignores_case_in_every_script(client, chief, code, title, terms):
    gallery = make_gallery(photos=0, codes=(code,), title=title)
    make_gallery(photos=0, codes=("en", "ru"), title="Something else")
    for term in terms:
        response = client.get("/en/admin/multimedia/gallery/", {"q": term})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [gallery], term
