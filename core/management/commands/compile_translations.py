"""Compile the project's .po catalogs to .mo without GNU gettext.

A fresh machine has only Python, so `make run` cannot count on `msgfmt`
(which Django's compilemessages needs); polib writes the same binary format.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS into its .mo file."

    def handle(self, *args, **options):
        catalogs = sorted(
            po for root in settings.LOCALE_PATHS for po in Path(root).glob("*/LC_MESSAGES/*.po")
        )
        if not catalogs:
            raise CommandError(f"no .po files under {', '.join(map(str, settings.LOCALE_PATHS))}")
        for po_path in catalogs:
            try:
                catalog = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read {po_path}: {error}") from error
            catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        self.stdout.write(f"Compiled {len(catalogs)} catalogs.")
