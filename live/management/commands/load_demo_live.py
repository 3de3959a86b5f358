"""Load running live coverage with its entries onto a demo article (run load_demo first).

Idempotent: coverage is found again by its article and each entry by its time,
which is counted from the coverage's start; the start is set once, when the
coverage is first made, so loading again moves nothing.
"""

from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from live.models import LiveCoverage, LiveEntry
from news.demo.loader import demo_article, read_content, translated

CONTENT = Path(__file__).resolve().parents[2] / "demo" / "content.json"


class Command(BaseCommand):
    help = "Load running live coverage of a demo article (after load_demo, which makes it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=CONTENT, help="demo content JSON (default: %(default)s)"
        )

    def handle(self, *args, **options):
        path = options["file"]
        content = read_content(path)
        try:
            # One transaction: an interrupted load leaves the database as it was.
            with transaction.atomic():
                entries = sum(self.load_coverage(item) for item in content["coverage"])
        except (KeyError, TypeError, ValueError) as error:
            raise CommandError(f"{path}: malformed demo content ({error!r})") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo live coverage ready: {len(content['coverage'])} articles, {entries} entries."
            )
        )

    def load_coverage(self, item):
        coverage, _ = LiveCoverage.objects.update_or_create(
            article=demo_article(item["article"]),
            # Running: the demo shows the "Live" label and the polling page.
            defaults={"ended_at": None},
            create_defaults={
                "ended_at": None,
                "started_at": timezone.now() - timedelta(hours=item["started_hours_ago"]),
            },
        )
        for entry in item["entries"]:
            LiveEntry.objects.update_or_create(
                coverage=coverage,
                published_at=coverage.started_at + timedelta(minutes=entry["minutes_after_start"]),
                defaults=translated("body", entry["body"]),
            )
        return len(item["entries"])
