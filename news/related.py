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
            .values_list("pk", flat=True)[:LATEST_PER_TAG]
        )
        rows += [LatestInTag(tag_id=tag_id, edition=code, article_id=pk) for pk in readable]
    scheduled = in_tag.scheduled(now).with_edition_flags()
    for article in scheduled.only("pk"):
        rows += [
            LatestInTag(tag_id=tag_id, edition=code, article_id=article.pk)
            for code in article.editions()
        ]
    return rows


def refresh_tags(tag_ids, now=None):
    """Store again the latest articles of each of these tags, in every edition."""
    tag_ids = sorted(set(tag_ids))
    if not tag_ids:
        return
    rows = [row for tag_id in tag_ids for row in latest_in_tag(tag_id, now)]
    with transaction.atomic():
        # One DELETE, without a signal per row: these rows are derived, and the save that
        # led here has already told the caches (core.signals).
        stale = LatestInTag.objects.filter(tag_id__in=tag_ids)
        stale._raw_delete(stale.db)
        # A concurrent refresh of the same tag may have stored the same rows.
        LatestInTag.objects.bulk_create(rows, ignore_conflicts=True)


def refresh_all(now=None):
    refresh_tags(Tag.objects.values_list("pk", flat=True), now)


def _in_lists(article):
    """Whether `article` is, or may now belong, in a tag's stored lists: drafts that never
    were published change nothing there."""
    return (
        article.status == Article.Status.PUBLISHED
        or LatestInTag.objects.filter(article=article.pk).exists()
    )


def article_saved(sender, instance, created, **kwargs):
    # A new article has no tags yet: adding them (tags_changed) refreshes their lists.
    if not created and _in_lists(instance):
        refresh_tags(instance.tags.values_list("pk", flat=True))


def article_deleting(sender, instance, **kwargs):
    # The tag links go with the article: remember them for article_deleted.
    instance._tags_before_delete = list(instance.tags.values_list("pk", flat=True))


def article_deleted(sender, instance, **kwargs):
    refresh_tags(getattr(instance, "_tags_before_delete", ()))


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # tag.articles.add/remove/clear: one tag
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_tags([instance.pk])
        return
    if action == "pre_clear":
        instance._tags_before_clear = list(instance.tags.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove") and _in_lists(instance):
        refresh_tags(pk_set)
    elif action == "post_clear" and _in_lists(instance):
        refresh_tags(getattr(instance, "_tags_before_clear", ()))


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    post_save.connect(article_saved, sender=Article, dispatch_uid="news.related.saved")
    pre_delete.connect(article_deleting, sender=Article, dispatch_uid="news.related.deleting")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="news.related.deleted")
    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="news.related.tags")
