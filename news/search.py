"""Search within one edition.

Readers expect case not to matter, in every script. PostgreSQL folds case in
its text-search parser and also matches word forms through the edition's own
text-search configuration (`simple` where PostgreSQL has none); the newest
RANKED_CANDIDATES matches are ordered by relevance, the rest follow by date.
SQLite's LIKE folds ASCII letters only, so there every word of the query is
looked for in the title, lead or body through `fold`, a Python function
registered on each SQLite connection (see NewsConfig.ready).

`highlighter` marks the matched words in titles and leads for the results page.
"""

import re
import threading
from datetime import timedelta
from functools import cache, cached_property, lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import (
    BooleanField,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    Value,
)
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname

from core import editions
from core.prepared import PreparedCount

MIN_WORD_LENGTH = 2
SEARCHED_FIELDS = ("title", "lead", "body")
# Ranking needs each article's text turned into a weighted document again (the
# GIN index only says which articles match); over every match of a common word
# in a million articles that is seconds, over the newest few hundred milliseconds.
RANKED_CANDIDATES = 200
RANK_WEIGHTS = {"title": "A", "lead": "B", "body": "D"}
SQLITE_CONTAINS_FUNCTION = "portal_search_contains"
# Stemmers for the PostgreSQL configurations that reduce words to their stems (Snowball, as
# PostgreSQL's own), so that highlighting finds the same word forms as the search.
STEMMERS = {"english": "english", "russian": "russian"}
WORD = re.compile(r"\w+")


def is_searchable(query):
    return any(len(word) >= MIN_WORD_LENGTH for word in query.split())


def fold(text):
    """`text` in lower case in every script, as search compares it. Dotted and dotless
    i (Kazakh Latin, Turkish) become plain i, so that "İ", "I", "ı" and "i" all match.
    lower() rather than casefold(): SQLite calls this for every searched column of every
    row, and lower() is twice as fast; they differ only in rare letters such as ß."""
    if text is None:
        return None
    return text.lower().replace("i\u0307", "i").replace("ı", "i")


def contains_folded(text, folded_word):
    """Whether `text` contains `folded_word` (already folded), whatever the case."""
    return text is not None and folded_word in fold(text)


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: makes `contains_folded` available to SQL on SQLite.
    It answers yes or no rather than returning the folded text, so that no long text
    goes back to SQLite to be scanned a second time."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_CONTAINS_FUNCTION, 2, contains_folded, deterministic=True
        )


class ContainsFolded(Func):
    function = SQLITE_CONTAINS_FUNCTION
    output_field = BooleanField()


def search_vector(code):
    """The per-edition document, shared by queries and the GIN index that serves them."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(
        *(build_localized_fieldname(name, code) for name in SEARCHED_FIELDS),
        config=editions.get(code).search_config,
    )


def ranked_vector(code):
    """The same words, weighted by where they stand: a word in the title counts most."""
    from django.contrib.postgres.search import SearchVector

    config = editions.get(code).search_config
    vectors = [
        SearchVector(build_localized_fieldname(name, code), config=config, weight=weight)
        for name, weight in RANK_WEIGHTS.items()
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def readers_matching(query):
    """What readers of the active edition can reach now that matches `query`, in reading
    order (matching()). On PostgreSQL the matches are counted by a query compiled once
    per worker and edition: the ORM's count compiled the words' document anew at every
    search, ten times the query's own time (2.4 ms against 0.2 at a million articles)."""
    from news.models import Article

    code = translation.get_language()
    now = timezone.now()
    if connection.vendor != "postgresql":
        return matching(Article.objects.for_readers(code, now).for_listing(), query, code)
    return RankedMatches(
        # Built only if a page of matches is read: a search that finds nothing is counted
        # by the prepared count alone (building this cost a tenth of such a search).
        SimpleLazyObject(lambda: Article.objects.for_readers(code, now).for_listing()),
        query,
        code,
        now=now,
        count_up_to=lambda limit: readable_matches_up_to(limit)(query=query, now=now),
    )


def matching(queryset, query, code):
    """`queryset`'s rows that match `query` in edition `code` (RankedMatches on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return RankedMatches(queryset, query, code)
    columns = [build_localized_fieldname(name, code) for name in SEARCHED_FIELDS]
    condition = Q()
    for word in query.split():
        word_anywhere = Q()
        for column in columns:
            word_anywhere |= Q(ContainsFolded(F(column), Value(fold(word))))
        condition &= word_anywhere
    return queryset.filter(condition)


def terms(query, code):
    """PostgreSQL: `query` as words to find in edition `code`'s documents."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, search_type="websearch", config=editions.get(code).search_config)


def with_words(queryset, query, code):
    """PostgreSQL: `queryset`'s rows whose edition `code` document holds `query`'s words."""
    return queryset.alias(document=search_vector(code)).filter(document=terms(query, code))


@cache
def readable_matches_up_to(limit):
    """How many readable articles of the active edition match, up to `limit`."""
    from news.models import EXAMPLE_TIMES, Article

    def build(query, now):
        readable = Article.objects.for_readers(now=now)
        return (
            with_words(readable, query, translation.get_language()).order_by().values("pk")[:limit]
        )

    return PreparedCount(Article, build, query=("senate", "budget"), now=EXAMPLE_TIMES)


class RankedMatches:
    """A search's matches in reading order, the newest RANKED_CANDIDATES by relevance
    and the rest newest first, read a slice at a time (as Paginator asks).

    Each slice is its own query: ordering every match by a relevance that only the
    candidates have made PostgreSQL read and sort every match of a common word
    (41,000 for "senate" in a million articles, 0.5–2 s). The candidates are the
    newest matches of the last WINDOWS first: with enough of them there, no older
    match can be among them, and the index on publish time leaves the rest unread."""

    def __init__(self, unmatched, query, code, now=None, count_up_to=None):
        # `unmatched`: the queryset before the words' condition. Candidates are matches
        # already; asking again would rebuild each one's document (half the ranking's time).
        self.unmatched, self.query, self.code = unmatched, query, code
        self.now = now or timezone.now()
        self.counter = count_up_to
        self.counted = None

    @cached_property
    def matches(self):
        # Built when read: a search that matches nothing, counted by `counter`, never is.
        return with_words(self.unmatched, self.query, self.code)

    @cached_property
    def rank(self):
        from django.contrib.postgres.search import SearchRank

        return SearchRank(ranked_vector(self.code), terms(self.query, self.code))

    def count_up_to(self, limit):
        """How many match, counting no further than `limit` (CappedPaginator)."""
        if self.counter is not None:
            self.counted = self.counter(limit)
        else:
            # Unordered, so that the database may stop at the limit without sorting them.
            self.counted = self.matches.order_by()[:limit].count()
        return self.counted

    def count(self):
        return self.matches.count()

    def __len__(self):
        return self.count()

    @property
    def few(self):
        """Counted, and fewer than RANKED_CANDIDATES (most searches): every match is a
        candidate, so a page of them is ranked in one query with no list of candidates."""
        return self.counted is not None and self.counted < RANKED_CANDIDATES

    @cached_property
    def candidates(self):
        for window in WINDOWS:
            rows = (
                self.matches
                if window is None
                else self.matches.filter(published_at__gte=self.now - window)
            )
            found = list(
                rows.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[:RANKED_CANDIDATES]
            )
            if len(found) == RANKED_CANDIDATES or window is None:
                return found

    def ranked(self, rows):
        return rows.annotate(relevance=self.rank).order_by("-relevance", "-published_at", "-pk")

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if self.counted == 0 or start >= stop:
            return []  # nothing to read: a search that matched nothing costs its count only
        if self.few:
            return list(self.ranked(self.matches)[start:stop])
        ranked = len(self.candidates)
        found = []
        if start < ranked:
            found += self.ranked(self.unmatched.filter(pk__in=self.candidates))[
                start : min(stop, ranked)
            ]
        if stop > ranked and ranked == RANKED_CANDIDATES:
            found += self.matches.exclude(pk__in=self.candidates).order_by("-published_at", "-pk")[
                max(start - ranked, 0) : stop - ranked
            ]
        return found


# The spans of the newest articles where the candidates are looked for first.
WINDOWS = (timedelta(days=31), timedelta(days=366), None)
# Newest first, by an expression no index provides: otherwise, seeing LIMIT, PostgreSQL
# may walk the publish-time index newest first and build every article's document until
# enough match (seconds for a rarer word), instead of asking the GIN index.
NEWEST_FIRST = (
    ExpressionWrapper(F("published_at") + Value(timedelta(0)), output_field=DateTimeField()).desc(),
    "-pk",
)


def query_words(query):
    """The words a reader looks for: not those excluded with a leading minus, nor OR."""
    words = []
    for token in query.split():
        if not token.startswith("-"):
            words += [word for word in WORD.findall(token) if word.lower() != "or"]
    return words


def highlighter(query, code):
    """A function that escapes a text and marks in it, with <mark>, the words that made it
    match `query` in edition `code`: the word forms on PostgreSQL, the folded substrings
    elsewhere (as each database matched them)."""
    words = [fold(word) for word in query_words(query)]
    words = [word for word in words if len(word) >= MIN_WORD_LENGTH]
    if connection.vendor == "postgresql":
        language = STEMMERS.get(editions.get(code).search_config)
        stem = (lambda word: stemmed(language, word)) if language else (lambda word: word)
        stems = {stem(word) for word in words}

        def spans(text):
            return [
                match.span() for match in WORD.finditer(text) if stem(fold(match.group())) in stems
            ]
    else:

        def spans(text):
            return _folded_occurrences(text, words)

    def highlight(text):
        text = text or ""
        found = _merged(spans(text)) if words else []
        parts, end = [], 0
        for start, stop in found:
            parts.append(escape(text[end:start]))
            parts.append(f"<mark>{escape(text[start:stop])}</mark>")
            end = stop
        parts.append(escape(text[end:]))
        return mark_safe("".join(parts))

    highlight.do_not_call_in_templates = True  # a template passes it to a filter
    return highlight


# Snowball is pure Python: stemming every word of a results page's titles and leads was a
# fifth of a search's time. A news archive's words recur, so each is stemmed once a worker.
@lru_cache(maxsize=20_000)  # ~4 MB at most
def stemmed(language, word):
    return _stemmer(language).stemWord(word)


_stemmers = threading.local()  # a Snowball stemmer keeps state while it stems


def _stemmer(language):
    if not hasattr(_stemmers, language):
        setattr(_stemmers, language, snowballstemmer.stemmer(language))
    return getattr(_stemmers, language)


def _folded_occurrences(text, words):
    """(start, stop) in `text` of every occurrence of the folded `words` in folded `text`."""
    folded, origin = [], []
    for position, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        origin.extend([position] * len(piece))
    folded = "".join(folded)
    found = []
    for word in words:
        at = folded.find(word)
        while at != -1:
            found.append((origin[at], origin[at + len(word) - 1] + 1))
            at = folded.find(word, at + len(word))
    return found


def _merged(spans):
    merged = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


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


def admin_search_index(model_name, concurrently=True):
    """(name, CREATE INDEX statement) of the trigram index on a news table's admin_search
    column (PostgreSQL, pg_trgm): the admin's folded `LIKE '%word%'` reads it. Used by
    migration 0008 and by the scale-data generator, which builds it after its inserts."""
    name = f"news_{model_name}_admin_search_trgm"
    return name, (
        f"CREATE INDEX {'CONCURRENTLY ' if concurrently else ''}IF NOT EXISTS {name} "
        f"ON news_{model_name} USING gin (admin_search gin_trgm_ops)"
    )
