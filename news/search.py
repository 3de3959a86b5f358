"""Search within one edition.

PostgreSQL ranks with full-text search in the edition's own text-search
configuration (`simple` where PostgreSQL has none); other databases fall back
to matching every word of the query in the title, lead or body.
"""

from django.db import connection
from django.db.models import Q
from modeltranslation.utils import build_localized_fieldname

from core import editions

MIN_WORD_LENGTH = 2
SEARCHED_FIELDS = ("title", "lead", "body")


def is_searchable(query):
    return any(len(word) >= MIN_WORD_LENGTH for word in query.split())


def search_vector(code):
    """The per-edition document, shared by queries and the GIN index that serves them."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(
        *(build_localized_fieldname(name, code) for name in SEARCHED_FIELDS),
        config=editions.get(code).search_config,
    )


def matching(queryset, query, code):
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        config = editions.get(code).search_config
        terms = SearchQuery(query, search_type="websearch", config=config)
        # Newest first, as readers of news expect; ranking every match of a
        # common word in a million articles would cost seconds.
        return (
            queryset.annotate(document=search_vector(code))
            .filter(document=terms)
            .order_by("-published_at", "-pk")
        )
    condition = Q()
    for word in query.split():
        word_anywhere = Q()
        for name in SEARCHED_FIELDS:
            word_anywhere |= Q(**{f"{build_localized_fieldname(name, code)}__icontains": word})
        condition &= word_anywhere
    return queryset.filter(condition)


def search_index_statements(concurrently=True):
    """CREATE INDEX statements of the per-edition GIN indexes (PostgreSQL).

    The indexed expression is the one `search_vector` makes Django write, so
    that the planner can use the index for `matching`; the migration that adds
    the indexes and the scale-data generator both call this.
    """
    statements = []
    for edition in editions.EDITIONS:
        columns = " || ' ' || ".join(
            f'COALESCE("news_article"."{build_localized_fieldname(name, edition.code)}", \'\')'
            for name in SEARCHED_FIELDS
        )
        statements.append(
            f"CREATE INDEX {'CONCURRENTLY ' if concurrently else ''}IF NOT EXISTS "
            f"{index_name(edition.code)} ON news_article USING gin "
            f"(to_tsvector('{edition.search_config}'::regconfig, {columns}))"
        )
    return statements


def index_name(code):
    return build_localized_fieldname("news_article_search", code)


def search_index_names():
    return [index_name(code) for code in editions.CODES]
