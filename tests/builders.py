"""Small builders for test data: each makes one object with sensible defaults."""

import itertools
from datetime import timedelta

from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from core import editions
from news.models import Article, Author, Category, Tag

_serial = itertools.count(1)

# Default sample text in each edition's own language and script, so a page that
# shows an English word in the Russian or Chinese edition shows an interface
# string someone forgot to translate, never test data.
SAMPLE_WORDS = {
    "en": {"headline": "Headline", "lead": "Lead of", "body": "Body of",
           "category": "Category", "tag": "Tag", "author": "Author"},
    "ru": {"headline": "Заголовок", "lead": "Вводка к", "body": "Текст",
           "category": "Рубрика", "tag": "Метка", "author": "Автор"},
    "kk": {"headline": "Тақырып", "lead": "Кіріспе", "body": "Мәтін",
           "category": "Айдар", "tag": "Белгі", "author": "Автор"},
    "kk-latn": {"headline": "Taqyryp", "lead": "Kirispe", "body": "Mätin",
                "category": "Aidar", "tag": "Belgi", "author": "Avtor"},
    "zh-hans": {"headline": "标题", "lead": "导语", "body": "正文",
                "category": "栏目", "tag": "标签", "author": "作者"},
    "kk-arab": {"headline": "تاقىرىپ", "lead": "كىرىسپە", "body": "ٴماتىن",
                "category": "ايدار", "tag": "بەلگى", "author": "اۆتور"},
    "uz": {"headline": "Сарлавҳа", "lead": "Кириш", "body": "Матн",
           "category": "Рукн", "tag": "Белги", "author": "Муаллиф"},
}  # fmt: skip


def _word(kind, code, given):
    """The caller's text if given, else the sample word for `kind` in edition `code`."""
    return given if given is not None else SAMPLE_WORDS[code][kind]


def _names(field, kind, text, codes):
    return {
        build_localized_fieldname(field, code): f"{_word(kind, code, text)} [{code}]"
        for code in codes
    }


def make_category(slug=None, parent=None, codes=editions.CODES, name=None):
    slug = slug or f"category-{next(_serial)}"
    return Category.objects.create(
        slug=slug, parent=parent, **_names("name", "category", name, codes)
    )


def make_tag(slug=None, codes=editions.CODES, name=None):
    slug = slug or f"tag-{next(_serial)}"
    return Tag.objects.create(slug=slug, **_names("name", "tag", name, codes))


def make_author(slug=None, codes=editions.CODES, name=None):
    slug = slug or f"author-{next(_serial)}"
    return Author.objects.create(slug=slug, **_names("name", "author", name, codes))


def make_article(
    title=None,
    codes=("en",),
    category=None,
    status=Article.Status.PUBLISHED,
    published_at=None,
    tags=(),
    authors=(),
    slug=None,
    **fields,
):
    """An article written in the editions `codes`, published an hour ago by default.

    Without `title`, each edition gets a headline in its own language.
    """
    serial = next(_serial)
    texts = {}
    for code in codes:
        headline = f"{_word('headline', code, title)} {serial}"
        words = SAMPLE_WORDS[code]
        texts[build_localized_fieldname("title", code)] = f"{headline} [{code}]"
        texts[build_localized_fieldname("lead", code)] = f"{words['lead']} {headline} [{code}]"
        texts[build_localized_fieldname("body", code)] = (
            f"<p>{words['body']} {headline} [{code}]</p>"
        )
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


def make_live_coverage(article=None, started_at=None, ended_at=None):
    """Live coverage of `article` (a new English one by default), started ten minutes ago."""
    from live.models import LiveCoverage

    return LiveCoverage.objects.create(
        article=article or make_article(),
        started_at=started_at or timezone.now() - timedelta(minutes=10),
        ended_at=ended_at,
    )


def make_live_entry(coverage, text=None, codes=("en",), published_at=None, **fields):
    """An entry of `coverage` with text in the editions `codes`, written a minute ago."""
    from live.models import LiveEntry

    serial = next(_serial)
    texts = {
        build_localized_fieldname(
            "body", code
        ): f"<p>{_word('body', code, text)} {serial} [{code}]</p>"
        for code in codes
    }
    return LiveEntry.objects.create(
        coverage=coverage,
        published_at=published_at or timezone.now() - timedelta(minutes=1),
        **{**texts, **fields},
    )
