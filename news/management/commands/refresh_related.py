"""Store again the newest articles of tags, per edition, that related news are read from.

Saves keep them current by themselves (news.related); this is for writes that send no
signals (bulk loads, QuerySet.update, SQL), for the first fill after deploying, and as
a nightly safety net from cron.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from core.cache import bump_generation
from core.progress import Progress
from news.management.commands.generate_articles import positive
from news.models import Article, Tag
from news.related import refresh_tags


class Command(BaseCommand):
    help = "Store again the latest articles of each tag per edition, which related news show."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", dest="every", action="store_true", help="every tag")
        which.add_argument(
            "--since",
            type=positive,
            metavar="DAYS",
            help="the tags of articles published or changed in the last DAYS days",
        )
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=50,
            help="tags per transaction (default 50)",
        )

    def handle(self, *args, every, since, batch_size, **options):
        tags = Tag.objects.order_by("pk")
        if since is not None:
            after = timezone.now() - timedelta(days=since)
            touched = Article.objects.filter(Q(updated_at__gte=after) | Q(published_at__gte=after))
            tags = tags.filter(articles__in=touched).distinct()
        tag_ids = list(tags.values_list("pk", flat=True))
        with Progress(self.stderr, len(tag_ids), "tags") as progress:
            for start in range(0, len(tag_ids), batch_size):
                batch = tag_ids[start : start + batch_size]
                refresh_tags(batch)
                progress.advance(len(batch))
        # What was repaired may be on cached pages: no save told the caches.
        bump_generation()
        self.stdout.write(self.style.SUCCESS(f"Refreshed the related news of {len(tag_ids)} tags."))
