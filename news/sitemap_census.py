"""The sitemap index's census of a readable model, kept as its rows change.

The index lists, per edition, the pages of ids that hold a readable row, each with its
rows' newest update. Counting that anew means reading every published row's index
entry: 300 ms at a million articles, at every change readers see. So the census is
kept in the cache, page by page ({page: {set of editions: newest update}}), and a
refresh counts again only the pages that may have changed:

- those whose *version* moved: each page has one in the cache, which a save or
  deletion of one of its rows that readers see replaces, once at the save (for
  whoever reads inside the same transaction) and again once it is committed (so
  that a census counted between the two is not kept);
- those holding a row whose publish time came since the last count, or which was
  updated with no signal (a bulk `update()` that sets `updated_at`) within LOOKBACK
  of it: one query on the publish-time and update-time indexes.

A row changed in no way the two can see (raw SQL, a bulk update that leaves
`updated_at` alone) shows within KEEP_SECONDS, when everything is counted afresh;
so does anything while the cache is unreachable, when nothing is kept.

Each full count is also stored in the database (news.models.StoredCensus): with the
cache emptied (a restart, an eviction), the census starts again from it and counts the
pages whose rows were published or updated since, instead of every page. Versions do
not survive the cache, so what only they show (a deletion, a save that leaves
`updated_at` alone) moves the stored census's epoch, and a census counted in an earlier
epoch is not used.
"""

import secrets
from datetime import datetime, timedelta

from django.db import router, transaction
from django.db.models import F, Max, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import cache
from news.models import StoredCensus

KEEP_SECONDS = 3600
# How late a transaction's commit may follow the update time it wrote and still be seen.
LOOKBACK = timedelta(minutes=5)
# Pages past the highest one counted whose versions are read: a page a late commit filled.
PAGES_AHEAD = 2


class KeptCensus:
    """The census of a ReadableSitemap's pages (of its `model`'s rows, `limit` ids each)."""

    def __init__(self, sitemap):
        self.sitemap = sitemap

    @property
    def model(self):
        return self.sitemap.model

    @property
    def limit(self):
        return self.sitemap.limit

    @property
    def key(self):
        return f"sitemap-census:{self.model._meta.label_lower}:{self.limit}"

    def version_key(self, page):
        return f"sitemap-page:{self.model._meta.label_lower}:{self.limit}:{page}"

    def page_of(self, pk):
        return pk // self.limit + 1

    def count(self, now, pages=None):
        """{page: {edition bits: newest update}} of the rows readable at `now`, in `pages`
        (all of them by default): one query, on an index that carries each row's
        editions and update time. Each page is its own part of the query, bounded by its
        ids: ORed ranges would read every published row's index entry."""
        groups = (
            self.model.objects.published(now)
            .annotate(in_editions=self.model.edition_bits(), page=F("pk") / self.limit + 1)
            .values("in_editions", "page")
            .annotate(latest=Max("updated_at"))
            .order_by()
        )
        if pages is not None:
            if not pages:
                return {}
            first, *rest = (groups.filter(self.page_range(page)) for page in sorted(pages))
            groups = first.union(*rest, all=True)
        census = {page: {} for page in pages or ()}
        for group in groups:
            census.setdefault(group["page"], {})[group["in_editions"]] = group["latest"]
        return census

    def page_range(self, page):
        return Q(pk__gte=(page - 1) * self.limit, pk__lt=page * self.limit)

    def touched(self, since, now):
        """Pages of the rows that became readable after `since` with no save (their publish
        time came) or were updated with no signal since shortly before it."""
        came = self.model.objects.published(now).filter(published_at__gt=since)
        updated = self.model.objects.filter(updated_at__gt=since - LOOKBACK)
        return set(
            (came | updated)
            .annotate(page=F("pk") / self.limit + 1)
            .order_by()
            .values_list("page", flat=True)
            .distinct()
        )

    def current(self):
        """{page: {edition bits: newest update}} of the rows readers can see now."""
        now = timezone.now()
        if cache.generation() is None:  # unreachable: nothing can be kept
            return self.count(now)
        kept = cache.get_many([self.key]).get(self.key)
        row = None  # the stored census's row, once read ({} if there is none)
        if kept is None:
            row = self.stored_row()
            kept = self.stored(row)
        if kept is None or now - kept["counted"] > timedelta(seconds=KEEP_SECONDS):
            return self.count_afresh(now, row)
        dirty = self.touched(kept["now"], now)
        versions = self.versions(max((*kept["pages"], *dirty), default=0))
        # A census from the database has no versions to compare: what they would show,
        # its epoch did (stored()).
        if kept["versions"] is not None:
            dirty |= {
                page
                for page in versions.keys() | kept["versions"].keys()
                if versions.get(page) != kept["versions"].get(page)
            }
        if dirty:
            kept["pages"] = {
                **{page: groups for page, groups in kept["pages"].items() if page not in dirty},
                **{page: groups for page, groups in self.count(now, dirty).items() if groups},
            }
        return self.keep(kept, now, versions)

    def count_afresh(self, now=None, row=None):
        """Count every page, keep the census in the cache and store it in the database
        (`row`: the stored census's, if just read): what `current()` does once an hour,
        and `manage.py count_sitemaps` from cron, so that no reader's request waits
        for it."""
        now = now or timezone.now()
        highest = self.page_of(self.model.objects.aggregate(last=Max("pk"))["last"] or 0)
        # Read before counting: a change committed after the count moves a version (or
        # the stored census's epoch) after this, so it is not missed.
        versions = self.versions(highest)
        epoch = self.epoch(row)
        kept = {"counted": now, "pages": self.count(now)}
        self.store(kept, epoch)
        return self.keep(kept, now, versions)

    def keep(self, kept, now, versions):
        kept |= {"now": now, "versions": versions}
        cache.set_many({self.key: kept}, KEEP_SECONDS)
        return kept["pages"]

    def versions(self, highest):
        """{page: version} of the pages up to `highest` (and a few past it) that have one."""
        keys = {self.version_key(page): page for page in range(1, highest + PAGES_AHEAD + 1)}
        return {keys[key]: version for key, version in cache.get_many(list(keys)).items()}

    def stored_row(self):
        """The stored census's row, as a dict ({} if there is none)."""
        fields = ("epoch", "counted_in_epoch", "counted", "pages")
        return self.stored_rows().filter(key=self.key).values(*fields).first() or {}

    def stored(self, row=None):
        """The census last counted in full, from the database (`row`, else read), as
        `current()` keeps it but with no versions; None if there is none, or if it was
        counted before a change that update times cannot show (in an earlier epoch)."""
        row = self.stored_row() if row is None else row
        if not row or row["counted_in_epoch"] != row["epoch"]:
            return None
        pages = {
            int(page): {
                int(bits): datetime.fromisoformat(latest) for bits, latest in groups.items()
            }
            for page, groups in row["pages"].items()
        }
        return {"counted": row["counted"], "now": row["counted"], "pages": pages, "versions": None}

    def epoch(self, row=None):
        """The epoch a full count starts in, from the stored census's `row` if just read.
        Its row is made if there is none, so that a change during the count moves it."""
        if row is None:
            row = self.stored_rows().filter(key=self.key).values("epoch").first() or {}
        if row:
            return row["epoch"]
        self.stored_rows().bulk_create([StoredCensus(key=self.key)], ignore_conflicts=True)
        return 0  # or another process's new row, which a change would have moved

    def stored_rows(self):
        # The primary's: a replica's may be behind a change that moved the epoch.
        return StoredCensus.objects.using(router.db_for_write(StoredCensus))

    def store(self, kept, epoch):
        """Store a full count made in `epoch`, unless a change moved the epoch meanwhile."""
        pages = {
            str(page): {str(bits): latest.isoformat() for bits, latest in groups.items()}
            for page, groups in kept["pages"].items()
        }
        self.stored_rows().filter(key=self.key, epoch=epoch).update(
            counted_in_epoch=epoch, counted=kept["counted"], pages=pages
        )

    def changed(self, sender, instance, created=False, signal=None, **kwargs):
        """A save or deletion: a new version for the row's page, now and once committed;
        if update times will not show it, a new epoch for the stored census."""
        reaches_readers = getattr(instance, "change_reaches_readers", None)
        if reaches_readers is not None and not reaches_readers(created):
            return
        update_fields = kwargs.get("update_fields")
        if signal is post_delete or (
            update_fields is not None and "updated_at" not in update_fields
        ):
            self.stored_rows().filter(key=self.key).update(epoch=F("epoch") + 1)
        key = self.version_key(self.page_of(instance.pk))

        def bump():
            cache.set_many({key: secrets.randbits(64)}, None)

        bump()
        transaction.on_commit(bump, using=instance._state.db)

    def connect(self):
        for signal in (post_save, post_delete):
            signal.connect(
                self.changed,
                sender=self.model,
                weak=False,
                dispatch_uid=f"sitemap-census:{self.model._meta.label_lower}",
            )
