"""Small builders for test data: each makes one object with sensible defaults."""

import itertools
from datetime import timedelta

from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from core import editions
from news.models import Article, Author, Category, Tag

_serial = itertools.count(1)


def _names(field, text, codes):
    return {build_localized_fieldname(field, code): f"{text} [{code}]" for code in codes}


def make_category(slug=None, parent=None, codes=editions.CODES, name="Category"):
    slug = slug or f"category-{next(_serial)}"
    return Category.objects.create(slug=slug, parent=parent, **_names("name", name, codes))


def make_tag(slug=None, codes=editions.CODES, name="Tag"):
    slug = slug or f"tag-{next(_serial)}"
    return Tag.objects.create(slug=slug, **_names("name", name, codes))


def make_author(slug=None, codes=editions.CODES, name="Author"):
    slug = slug or f"author-{next(_serial)}"
    return Author.objects.create(slug=slug, **_names("name", name, codes))


def make_article(
    title="Headline",
    codes=("en",),
    category=None,
    status=Article.Status.PUBLISHED,
    published_at=None,
    tags=(),
    authors=(),
    slug=None,
    **fields,
):
    """An article written in the editions `codes`, published an hour ago by default."""
    serial = next(_serial)
    texts = {}
    for code in codes:
        texts[build_localized_fieldname("title", code)] = f"{title} {serial} [{code}]"
        texts[build_localized_fieldname("lead", code)] = f"Lead of {title} {serial} [{code}]"
        texts[build_localized_fieldname("body", code)] = f"<p>Body of {title} {serial} [{code}]</p>"
    texts.update(fields)
    article = Article.objects.create(
        slug=slug or f"headline-{serial}",
        category=category or make_category(),
        status=status,
        published_at=published_at or timezone.now() - timedelta(hours=1),
        **texts,
    )
    article.tags.set(tags)
    article.authors.set(authors)
    return article
