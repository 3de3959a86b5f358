"""`manage.py restore ARCHIVE`: load a backup into an empty database and restore its media."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core import backup

# Exit codes: 0 restored; 1 failed (the database is unchanged); 2 refused (nothing changed).
FAILED, REFUSED = 1, 2


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup`: migrates the database, checks that the "
        "archive was made with the same migrations and is intact, writes its media files, "
        "then loads every row in one transaction. The database must be empty (nothing but "
        "what migrations create) unless --force is given, which replaces everything in it. "
        "Exit status: 0 restored, 1 failed (the database is left as it was), 2 refused "
        "(nothing changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz made by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds content (everything in it is deleted)",
        )
        parser.add_argument(
            "--database", default="default", help="the database to load (default: default)"
        )

    def handle(self, archive, force, database, **options):
        try:
            manifest = backup.restore(archive, self.stderr, using=database, force=force)
        except backup.Refused as error:
            raise CommandError(str(error), returncode=REFUSED) from error
        except (backup.Failed, DatabaseError, OSError) as error:
            raise CommandError(f"Restore failed: {error}", returncode=FAILED) from error
        rows = sum(entry["rows"] for entry in manifest["models"].values())
        self.stdout.write(
            f"Restored {archive} (made {manifest['created']}): {rows} rows of "
            f"{len(manifest['models'])} models, {len(manifest['media'])} media files."
        )
