"""Load the demo newsroom: the reference article, its related and popular headlines and more.

Idempotent: running it again updates what it made before and adds nothing twice.
"""

from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.progress import Progress
from news.demo.images import lead_image
from news.demo.loader import read_content, translated
from news.models import Article, Author, Category, DailyViews, SiteSettings, Tag
from widgets.demo import load_samples

CONTENT = Path(__file__).resolve().parents[2] / "demo" / "content.json"
VIEW_DAYS = 5


class Command(BaseCommand):
    help = (
        "Load demo content (categories, tags, authors, articles in several editions, view "
        "counts) and the recorded currency rates and weather for the header."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=CONTENT, help="demo content JSON (default: %(default)s)"
        )

    def handle(self, *args, **options):
        content = read_content(options["file"])

        SiteSettings.current()
        # One transaction: an interrupted load leaves the database as it was.
        with transaction.atomic():
            # Every demo picture is the same drawing (news/demo/images.py): one alt text
            # per edition describes it, unless an article brings its own.
            self.image_alt = content.get("image_alt", {})
            categories = self.load_categories(content["categories"])
            tags = {
                item["slug"]: Tag.objects.update_or_create(
                    slug=item["slug"], defaults=translated("name", item["name"])
                )[0]
                for item in content["tags"]
            }
            authors = {
                item["slug"]: Author.objects.update_or_create(
                    slug=item["slug"],
                    defaults={
                        **translated("name", item["name"]),
                        **translated("bio", item.get("bio", {})),
                    },
                )[0]
                for item in content["authors"]
            }
            articles = self.load_articles(content["articles"], categories, tags, authors)
            # The header's rates and weather, as recorded on one day (shown "as of" it).
            load_samples()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(articles)} articles, {len(categories)} categories, "
                f"{len(tags)} tags, {len(authors)} authors."
            )
        )

    def load_categories(self, items):
        categories = {}
        for item in items:
            parent = categories.get(item.get("parent")) if item.get("parent") else None
            if item.get("parent") and parent is None:
                raise CommandError(f"category {item['slug']} comes before its parent")
            categories[item["slug"]] = Category.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "parent": parent,
                    "position": item.get("position", 0),
                    **translated("name", item["name"]),
                },
            )[0]
        return categories

    def load_articles(self, items, categories, tags, authors):
        now = timezone.now()
        today = timezone.localdate()
        by_key = {}
        with Progress(self.stderr, len(items), "articles") as progress:
            for item in items:
                article = Article.objects.filter(slug=item["slug"]).first() or Article(
                    slug=item["slug"]
                )
                if "published" in item:
                    article.published_at = timezone.make_aware(
                        datetime.fromisoformat(item["published"])
                    )
                elif article.pk is None:
                    article.published_at = now - timedelta(days=item["published_days_ago"])
                article.category = categories[item["category"]]
                article.status = Article.Status.PUBLISHED
                article.featured = item.get("featured", False)
                for field in (
                    "title",
                    "lead",
                    "body",
                    "dateline_city",
                    "image_caption",
                    "image_credit",
                ):
                    for name, value in translated(field, item.get(field, {})).items():
                        setattr(article, name, value)
                alt = item.get("image_alt") or {
                    code: text for code, text in self.image_alt.items() if code in item["title"]
                }
                for name, value in translated("image_alt", alt).items():
                    setattr(article, name, value)
                if not article.image or not article.image_width:
                    # A named file, so that Django reads its width and height.
                    name = f"{item['slug']}.jpg"
                    picture = lead_image(item["slug"], item.get("scene"))
                    article.image.save(name, ContentFile(picture, name=name), save=False)
                article.save()
                article.tags.set([tags[slug] for slug in item.get("tags", [])])
                article.authors.set([authors[slug] for slug in item.get("authors", [])])
                self.spread_views(article, item.get("views", 0), today)
                by_key[item["key"]] = (article, item)
                progress.advance()
        for article, item in by_key.values():
            article.related.set([by_key[key][0] for key in item.get("related", [])])
        return by_key

    def spread_views(self, article, total, today):
        """Recent reads in each edition of the article, so the popular list is filled."""
        for code in article.editions():
            for days_ago in range(VIEW_DAYS):
                DailyViews.objects.update_or_create(
                    article=article,
                    edition=code,
                    day=today - timedelta(days=days_ago),
                    defaults={"count": total // VIEW_DAYS},
                )
