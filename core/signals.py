"""Any change to content readers see starts a new content generation (see core.cache).

A model whose rows readers may not see (drafts, the workflow's log, an upload no
article shows yet) says which changes reach them with `change_reaches_readers(created)`;
a change to any other row of the watched apps does.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.cache import bump_generation

# View counts change on every read; they have their own short-lived caches.
IGNORED_MODELS = {"news.dailyviews"}
WATCHED_APPS = {"news", "widgets", "live", "multimedia", "frontpage"}


def content_changed(sender, instance, created=False, **kwargs):
    if sender._meta.app_label in WATCHED_APPS and sender._meta.label_lower not in IGNORED_MODELS:
        reaches_readers = getattr(instance, "change_reaches_readers", None)
        if reaches_readers is None or reaches_readers(created):
            bump_generation()
            # And again once committed: a reader who rendered a page between the save and
            # the commit cached the old rows under the generation the save started.
            transaction.on_commit(bump_generation, using=instance._state.db)


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"portal-content-{signal!r}")
