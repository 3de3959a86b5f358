import argparse
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from widgets import display, rates
from widgets.http import SourceError


def iso_date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--date must be a date as YYYY-MM-DD, got {text!r}"
        ) from None


class Command(BaseCommand):
    help = (
        "Fetch the National Bank of Kazakhstan's official rates for a day (RATES_FEED_URL) "
        "and store them. Exit 0: stored or already stored; 1: the feed failed or was refused "
        "and nothing changed; 2: bad arguments."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=iso_date,
            help="rate date as YYYY-MM-DD (default: today in Asia/Almaty)",
        )

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate()
        # The bank publishes tomorrow's rates the day before, never further ahead.
        if day > timezone.localdate() + timedelta(days=1):
            raise CommandError(f"--date {day.isoformat()} is in the future; no rates exist yet")
        try:
            quotes = rates.fetch(day)
        except SourceError as error:
            raise CommandError(f"rates not fetched, nothing changed: {error}") from None
        result = rates.store(quotes)
        display.invalidate()
        dates = ", ".join(sorted({q.date.isoformat() for q in quotes}))
        self.stdout.write(
            f"Rates for {dates}: {result.created} stored, {result.updated} corrected, "
            f"{result.unchanged} already stored."
        )
