"""Fill the database with many realistic articles, for scale tests and benchmarks.

Deterministic for a given --seed and --end date; inserts in batches, one
transaction per batch, so an interrupted run leaves only whole batches behind.
"""

import random
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from core import editions
from core.progress import Progress
from news import search
from news.models import Article, Author, Category, Tag
from news.related import refresh_tags
from news.scale import vocabulary

CODES = editions.CODES
# How many editions an article is written in: most in one or two, some in all seven.
EDITION_COUNT_WEIGHTS = {1: 45, 2: 30, 3: 10, 4: 5, 5: 3, 6: 2, 7: 5}
# Which editions are written most.
EDITION_WEIGHTS = {"en": 20, "ru": 30, "kk": 30, "kk-latn": 5, "zh-hans": 6, "kk-arab": 3, "uz": 6}
YEARS = 5
SLUG_PREFIX = "generated"


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError
    return number


class Command(BaseCommand):
    help = "Generate N realistic articles over several years (deterministic for a seed)."

    def add_arguments(self, parser):
        how_many = parser.add_mutually_exclusive_group(required=True)
        how_many.add_argument("--count", type=positive, help="how many articles to add")
        how_many.add_argument(
            "--up-to", type=positive, help="add articles until the database holds this many"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--end",
            type=date.fromisoformat,
            default=None,
            help="newest publish date, YYYY-MM-DD (default: today); spread over 5 years",
        )
        parser.add_argument("--batch-size", type=positive, default=2000)
        parser.add_argument(
            "--defer-search-indexes",
            action="store_true",
            help="PostgreSQL: drop the full-text indexes during the load and build them once "
            "at the end (several times faster for large loads; searches are slow meanwhile)",
        )

    def handle(self, *args, count, up_to, seed, end, batch_size, defer_search_indexes, **options):
        if up_to is not None:
            count = up_to - Article.objects.count()
            if count <= 0:
                self.stdout.write(f"Already {up_to} articles or more; nothing to add.")
                return
        rng = random.Random(seed)
        categories = list(Category.objects.order_by("pk").values_list("pk", flat=True))
        tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
        authors = list(Author.objects.order_by("pk").values_list("pk", flat=True))
        if not (categories and tags and authors):
            raise CommandError(
                "generate_articles needs categories, tags and authors: "
                "run `manage.py load_demo` first."
            )
        end_time = timezone.make_aware(datetime.combine(end or timezone.localdate(), time(23, 59)))
        first_number = Article.objects.filter(slug__startswith=f"{SLUG_PREFIX}-").count() + 1

        postgres = connection.vendor == "postgresql"
        admin_index = search.admin_search_index("article", concurrently=False)
        if postgres and defer_search_indexes:
            with connection.cursor() as cursor:
                for name in [*search.search_index_names(), admin_index[0]]:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
        try:
            self.insert(rng, count, batch_size, first_number, categories, tags, authors, end_time)
        finally:
            if postgres:
                with connection.cursor() as cursor:
                    # Also rebuilds indexes an interrupted deferred run left missing.
                    cursor.execute(
                        "SELECT indexname FROM pg_indexes WHERE tablename = 'news_article'"
                    )
                    present = {row[0] for row in cursor.fetchall()}
                    for name, statement in zip(
                        search.search_index_names(),
                        search.search_index_statements(concurrently=False),
                        strict=True,
                    ):
                        if name not in present:
                            cursor.execute(statement)
                    if admin_index[0] not in present:
                        cursor.execute(admin_index[1])
                    # Fresh statistics, or the planner guesses one row and picks slow plans.
                    cursor.execute("ANALYZE news_article, news_article_tags, news_article_authors")
        # bulk_create sends no signals: related news are stored once for every tag at the end.
        refresh_tags(tags)
        self.stdout.write(self.style.SUCCESS(f"Generated {count} articles (seed {seed})."))

    def insert(self, rng, count, batch_size, first_number, categories, tags, authors, end_time):
        span_seconds = YEARS * 365 * 24 * 3600
        with Progress(self.stderr, count, "articles") as progress:
            for start in range(0, count, batch_size):
                size = min(batch_size, count - start)
                articles = [
                    self.make_article(
                        rng, first_number + start + i, categories, end_time, span_seconds
                    )
                    for i in range(size)
                ]
                picks = [
                    (
                        rng.sample(tags, k=min(len(tags), rng.randint(1, 4))),
                        rng.sample(authors, k=1),
                    )
                    for _ in articles
                ]
                with transaction.atomic():
                    created = Article.objects.bulk_create(articles)
                    Article.tags.through.objects.bulk_create(
                        Article.tags.through(article_id=article.pk, tag_id=tag_id)
                        for article, (tag_ids, _authors) in zip(created, picks, strict=True)
                        for tag_id in tag_ids
                    )
                    Article.authors.through.objects.bulk_create(
                        Article.authors.through(article_id=article.pk, author_id=author_id)
                        for article, (_tags, author_ids) in zip(created, picks, strict=True)
                        for author_id in author_ids
                    )
                progress.advance(size)

    def make_article(self, rng, number, categories, end_time, span_seconds):
        how_many = rng.choices(list(EDITION_COUNT_WEIGHTS), weights=EDITION_COUNT_WEIGHTS.values())[
            0
        ]
        codes = set()
        while len(codes) < how_many:
            codes.add(rng.choices(CODES, weights=[EDITION_WEIGHTS[c] for c in CODES])[0])
        parts = {
            "subject": rng.randrange(len(vocabulary.SUBJECTS["en"])),
            "action": rng.randrange(len(vocabulary.ACTIONS["en"])),
            "topic": rng.randrange(len(vocabulary.TOPICS["en"])),
            "city": rng.randrange(len(vocabulary.CITIES["en"])),
        }
        fields = {}
        for code in codes:
            words = {
                "subject": vocabulary.SUBJECTS[code][parts["subject"]],
                "action": vocabulary.ACTIONS[code][parts["action"]],
                "topic": vocabulary.TOPICS[code][parts["topic"]],
                "city": vocabulary.CITIES[code][parts["city"]],
            }
            separator = vocabulary.WORD_SEPARATORS.get(code, " ")
            title = separator.join((words["subject"], words["action"], words["topic"]))
            paragraph = vocabulary.SENTENCES[code].format(**words)
            end = vocabulary.SENTENCE_ENDS.get(code, ". ")
            fields[build_localized_fieldname("title", code)] = title
            fields[build_localized_fieldname("lead", code)] = paragraph.split(end)[0] + end.strip()
            fields[build_localized_fieldname("body", code)] = "".join(
                f"<p>{paragraph}</p>" for _ in range(rng.randint(3, 6))
            )
            fields[build_localized_fieldname("dateline_city", code)] = words["city"]
        published_at = end_time - timedelta(seconds=rng.randrange(span_seconds))
        article = Article(
            slug=f"{SLUG_PREFIX}-{number}",
            category_id=rng.choice(categories),
            status=Article.Status.PUBLISHED,
            published_at=published_at,
            featured=rng.random() < 0.01,
            **fields,
        )
        # bulk_create sends no pre_save: the admin's search column is filled here.
        article.refresh_admin_search()
        return article
