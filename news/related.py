"""Related news kept ahead of reading.

An article's related news are the editor's choices, then the newest articles sharing
one of its tags. The second part is the same for every article of a tag, so it is
stored per tag and edition (news.models.LatestInTag) and refreshed here whenever what
readers see under a tag can change: an article of it is saved (published, scheduled,
unpublished, retitled in an edition, deleted) or its tags change. The article page
then reads the stored rows and the editor's choices in one query
(Article.related_articles), however many articles a tag holds.

Receivers run in the saving transaction, so a reader never sees a list older than the
save. Writes that send no signals (QuerySet.update, raw SQL, bulk_create) are followed
by `manage.py refresh_related`.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core import editions
from news.models import LATEST_PER_TAG, Article, LatestInTag, Tag


def latest_in_tag(tag_id, now=None):
    """The rows to store for one tag: per edition, the LATEST_PER_TAG newest articles
    readers can reach there now, and every scheduled one, which readers reach by
    itself at its time (the page filters on the publish time when it reads)."""
    now = now or timezone.now()
    in_tag = Article.objects.filter(tags=tag_id)
    rows = []
    for code in editions.CODES:
        readable = (
            in_tag.published(now)
            .in_edition(code)
            .newest_first()
            .values_list("pk", "published_at")[:LATEST_PER_TAG]
        )
        rows += [
            LatestInTag(tag_id=tag_id, edition=code, article_id=pk, published_at=published_at)
            for pk, published_at in readable
        ]
    scheduled = in_tag.scheduled(now).with_edition_flags()
    for article in scheduled.only("pk", "published_at"):
        rows += [
            LatestInTag(
                tag_id=tag_id,
                edition=code,
                article_id=article.pk,
                published_at=article.published_at,
            )
            for code in article.editions()
        ]
    return rows


def refresh_tags(tag_ids, now=None):
    """Store again the latest articles of each of these tags, in every edition."""
    tag_ids = sorted(set(tag_ids))
    if not tag_ids:
        return
    with transaction.atomic():
        _lock(tag_ids)
        rows = [row for tag_id in tag_ids for row in latest_in_tag(tag_id, now)]
        # One DELETE, without a signal per row: these rows are derived, and the save that
        # led here has already told the caches (core.signals).
        stale = LatestInTag.objects.filter(tag_id__in=tag_ids)
        stale._raw_delete(stale.db)
        # A concurrent refresh of the same tag may have stored the same rows.
        LatestInTag.objects.bulk_create(rows, ignore_conflicts=True)


def _lock(tag_ids):
    """Take these tags' rows until the transaction ends, in one order, so that a refresh
    and an article added by another editor at the same moment never miss each other."""
    list(Tag.objects.select_for_update().filter(pk__in=tag_ids).order_by("pk").values("pk"))


def refresh_all(now=None):
    refresh_tags(Tag.objects.values_list("pk", flat=True), now)


def add_to_lists(article_pk, tag_ids, now=None):
    """Put one article, published or scheduled, into these tags' lists where it ranks,
    without recomputing them: the cheap way for a new story. Lists may then hold more
    than LATEST_PER_TAG rows, which only widens the candidates."""
    tag_ids = set(tag_ids)
    now = now or timezone.now()
    article = (
        Article.objects.filter(pk=article_pk, status=Article.Status.PUBLISHED)
        .with_edition_flags()
        .only("pk", "published_at")
        .first()
    )
    if article is None or not tag_ids:
        return
    codes = article.editions()
    with transaction.atomic():
        _lock(tag_ids)  # before reading the lists: see _lock
        full = set()
        if article.published_at <= now:
            # (tag, edition) lists already holding LATEST_PER_TAG readable articles newer
            # than it: it would never be shown there.
            newer = Q(article__published_at__gt=article.published_at) | Q(
                article__published_at=article.published_at, article__pk__gt=article.pk
            )
            full = {
                (row["tag_id"], row["edition"])
                for row in LatestInTag.objects.filter(
                    newer, tag_id__in=tag_ids, edition__in=codes, article__published_at__lte=now
                )
                .values("tag_id", "edition")
                .annotate(count=Count("pk"))
                .filter(count__gte=LATEST_PER_TAG)
            }
        LatestInTag.objects.bulk_create(
            [
                LatestInTag(
                    tag_id=tag_id,
                    edition=code,
                    article_id=article.pk,
                    published_at=article.published_at,
                )
                for tag_id in tag_ids
                for code in codes
                if (tag_id, code) not in full
            ],
            ignore_conflicts=True,
        )


def listed_in(article_pk):
    """The tags whose stored lists hold this article."""
    return set(
        LatestInTag.objects.filter(article=article_pk).values_list("tag_id", flat=True).distinct()
    )


# The stored lists hold every article that can be among the newest of a tag (see
# LatestInTag). So a change to an article they do not hold can only add it: cheap. A
# change to one they hold (unpublished, re-dated, an edition's text gone) recomputes
# its tags, which refills what it leaves.


def article_saved(sender, instance, created, **kwargs):
    if created:  # no tags yet: adding them (tags_changed) puts it in their lists
        return
    tags = set(instance.tags.values_list("pk", flat=True))
    if listed := listed_in(instance.pk):
        refresh_tags(listed | tags)
    elif instance.status == Article.Status.PUBLISHED:
        add_to_lists(instance.pk, tags)


def article_deleting(sender, instance, **kwargs):
    # Its rows go with it: remember whose lists lose a story, for article_deleted.
    instance._listed_before_delete = listed_in(instance.pk)


def article_deleted(sender, instance, **kwargs):
    refresh_tags(getattr(instance, "_listed_before_delete", ()))


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # tag.articles.add/remove/clear: recompute that one tag
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_tags([instance.pk])
        return
    match action:
        case "post_add":
            add_to_lists(instance.pk, pk_set)
        case "post_remove":
            refresh_tags(listed_in(instance.pk) & set(pk_set))
        case "pre_clear":
            instance._listed_before_clear = listed_in(instance.pk)
        case "post_clear":
            refresh_tags(getattr(instance, "_listed_before_clear", ()))


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    post_save.connect(article_saved, sender=Article, dispatch_uid="news.related.saved")
    pre_delete.connect(article_deleting, sender=Article, dispatch_uid="news.related.deleting")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="news.related.deleted")
    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="news.related.tags")
