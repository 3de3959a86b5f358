"""Count the sitemap index's pages afresh, for cron (news.sitemap_census).

Saves keep the census current; it is counted afresh once an hour all the same, for
changes no save announced (SQL, bulk updates), and that count reads every published
row (half a second at a million articles). Run from cron more often than that, the
count is made here instead of in a crawler's request.
"""

import time

from django.core.management.base import BaseCommand

from news.sitemap_census import KeptCensus
from news.sitemaps import readable_kinds


class Command(BaseCommand):
    help = "Count the sitemap index's pages afresh and keep the count (cache and database)."

    def handle(self, *args, **options):
        for kind in readable_kinds():
            started = time.monotonic()
            pages = KeptCensus(kind).count_afresh()
            self.stdout.write(
                f"{kind.model._meta.label}: {len(pages)} sitemap pages counted "
                f"in {time.monotonic() - started:.2f} s."
            )
