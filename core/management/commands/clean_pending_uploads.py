"""Delete files kept for forms that came back with an error and were never saved again."""

from django.core.management.base import BaseCommand

from core import pending_uploads


class Command(BaseCommand):
    help = (
        "Delete uploads kept after admin form errors that are older than "
        f"{pending_uploads.MAX_AGE}; run it daily (forms also clean up as they go)."
    )

    def handle(self, *args, **options):
        removed = pending_uploads.remove_stale()
        self.stdout.write(f"Deleted {removed} stale kept upload(s).")
