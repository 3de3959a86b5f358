"""`manage.py backup ARCHIVE`: the whole database and all media in one tar.gz (see core.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core import backup

# Exit codes: 0 written; 1 failed (nothing written); 2 refused (nothing written).
FAILED, REFUSED = 1, 2


class Command(BaseCommand):
    help = (
        "Write every model's rows (all editions, users, revisions, widgets) and every media "
        "file to one new .tar.gz archive, read from the database as one snapshot. Exit "
        "status: 0 written, 1 failed, 2 refused (e.g. the file exists); nothing is left "
        "half-written."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive to create, e.g. portal-2026-01-31.tar.gz")
        parser.add_argument(
            "--database", default="default", help="the database to read (default: default)"
        )

    def handle(self, archive, database, **options):
        try:
            manifest = backup.backup(archive, self.stderr, using=database)
        except backup.Refused as error:
            raise CommandError(str(error), returncode=REFUSED) from error
        except (DatabaseError, OSError) as error:
            raise CommandError(f"Backup failed: {error}", returncode=FAILED) from error
        rows = sum(entry["rows"] for entry in manifest["models"].values())
        self.stdout.write(
            f"Wrote {archive}: {rows} rows of {len(manifest['models'])} models, "
            f"{len(manifest['media'])} media files."
        )
