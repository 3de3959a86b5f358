"""The parts of an article's page that only the article decides, kept across content
generations.

Every publication starts a new content generation (core.cache), so every article page
readers open afterwards is rendered again, though most of it did not change: its
title, meta tags and JSON-LD, its breadcrumbs, the <article> element itself and its
scripts are the article's own, and rendering them was over a third of the page
(docs/benchmark.md, twelfth round). Those parts are kept in the shared cache per
article and edition, and used while three things are as they were rendered with:

- the article's row as the page read it (a digest of its values): any save of it, any
  `update()` or restore;
- the article's relations generation: a change of its tags or authors starts a new one
  (article_relations_changed);
- the labels generation: the names and addresses of categories, tags and authors and
  the body pictures (core.cache.bump_labels_generation);
- the release (core.release): the code, templates, translations and static files.

What changes by itself on the page (related news, most read, the reading beacon's
token) stays outside the parts. An article whose own part changes without a save of it
(live coverage, a gallery coming out, a video) is rendered every time, as are previews.
"""

import hashlib

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import get_script_prefix
from django.utils import timezone, translation

from core import cache
from core.release import release
from news.images import addresses_last

# Readers come back to an article after each publication for hours, then rarely: what
# no reader asked for within this time goes, so the cache holds the day's articles.
PARTS_SECONDS = 6 * 3600

# The parts news/article.html keeps ({% kept_part %}); all of them must be found for
# the page to skip reading what only they show (the tags and authors).
PART_NAMES = ("title", "description", "meta", "head", "article", "scripts")

# Predicates `changes_by_itself(article)` registered by other apps (keep_parts_unless).
_UNKEPT_WHEN = []


def keep_parts_unless(changes_by_itself):
    """Register `changes_by_itself(article) -> bool`: whether what another app shows in
    the article's own part (read with add_to_article_page) may change without a save of
    the article, so that its parts must be rendered every time."""
    _UNKEPT_WHEN.append(changes_by_itself)
    return changes_by_itself


def parts_key(pk):
    # The script prefix and time zone go into the addresses and dates the parts show.
    code = translation.get_language()
    locale = f"{code}:{get_script_prefix()}:{timezone.get_current_timezone_name()}"
    return f"article-parts:{pk}:{locale}:{release()}"


class ArticleParts:
    """The kept parts of `article`'s page in the active edition, and those rendered now."""

    def __init__(self, article):
        self.key = parts_key(article.pk)
        self.stamp = (
            row_digest(article),
            cache.labels_generation(),
            cache.lasting_generation(relations_key(article.pk)),
        )
        stored = cache.lasting(self.key)
        valid = isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.stamp
        self.found = stored[1] if valid else {}
        self.rendered = {}

    @classmethod
    def of(cls, article):
        """The parts of `article`'s page, or None where they cannot be kept."""
        if any(changes(article) for changes in _UNKEPT_WHEN):
            return None
        # A storage that signs each address gives addresses that expire.
        if not addresses_last(article.image.storage):
            return None
        parts = cls(article)
        return parts if None not in parts.stamp else None  # the cache is unreachable

    @property
    def complete(self):
        return all(name in self.found for name in PART_NAMES)

    def part(self, name, render):
        """Part `name` as kept, else `render()`, kept once the page is rendered (keep)."""
        if name in self.found:
            return self.found[name]
        self.rendered[name] = html = render()
        return html

    def keep(self):
        if self.rendered:
            parts = {**self.found, **self.rendered}
            cache.keep_lasting(self.key, (self.stamp, parts), PARTS_SECONDS)


def row_digest(article):
    """A digest of the values the page read of `article`'s own row: a few microseconds,
    against a stamp that a write which leaves `updated_at` alone would fool."""
    values = vars(article)
    read = [
        (field.attname, values[field.attname])
        for field in article._meta.concrete_fields
        if field.attname in values
    ]
    return hashlib.sha256(repr(read).encode()).hexdigest()


def relations_key(pk):
    return f"article-relations:{pk}"


def lasting_key_of(pk):
    """The keys a page of article `pk` reads its parts with, in its one round trip."""
    return [parts_key(pk), cache.LABELS_GENERATION_KEY, relations_key(pk)]


def labels_changed(sender, instance, **kwargs):
    renew(cache.LABELS_GENERATION_KEY, instance._state.db)


def renew(key, using):
    """A new generation at `key`, now and once the transaction under way commits."""
    cache.bump_lasting_generation(key)
    # And again once committed: a page rendered between the save and the commit kept
    # what it read under the generation the save started.
    transaction.on_commit(lambda: cache.bump_lasting_generation(key), using=using)


def article_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An article's tags or authors changed: a new relations generation of the article
    (its row stays as it is, as a restore needs). From the other side (tag.articles…), a
    rare operation that may touch thousands of articles: a new labels generation."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        renew(cache.LABELS_GENERATION_KEY, instance._state.db)
    elif pk_set or action == "post_clear":
        renew(relations_key(instance.pk), instance._state.db)


def connect():
    from news.models import Article, Author, BodyImage, Category, Tag

    for model in (Category, Tag, Author, BodyImage):
        for signal in (post_save, post_delete):
            signal.connect(
                labels_changed, sender=model, dispatch_uid=f"news.parts.{model.__name__}"
            )
    for relation in (Article.tags, Article.authors):
        m2m_changed.connect(
            article_relations_changed,
            sender=relation.through,
            dispatch_uid=f"news.parts.{relation.field.name}",
        )
