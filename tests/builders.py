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


def image_upload(name="photo.png", size=(64, 48), colour=(200, 40, 40), image_format="PNG"):
    """A small real image, as an upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def make_gallery(
    photos=3,
    codes=("en",),
    status="published",
    published_at=None,
    article=None,
    slug=None,
    title=None,
    size=(64, 48),
):
    """A gallery titled in the editions `codes`, with `photos` photos captioned in each."""
    from multimedia.models import Gallery, Photo

    serial = next(_serial)
    gallery = Gallery.objects.create(
        slug=slug or f"gallery-{serial}",
        status=status,
        published_at=published_at or timezone.now() - timedelta(hours=1),
        article=article,
        **{
            build_localized_fieldname("title", code): (
                f"{_word('headline', code, title)} {serial} [{code}]"
            )
            for code in codes
        },
    )
    for position in range(1, photos + 1):
        texts = {}
        for code in codes:
            texts[build_localized_fieldname("caption", code)] = f"{position} [{code}]"
            texts[build_localized_fieldname("credit", code)] = f"© {position} [{code}]"
            texts[build_localized_fieldname("alt", code)] = f"alt {position} [{code}]"
        Photo.objects.create(
            gallery=gallery,
            position=position,
            image=image_upload(size=size, colour=(position * 40 % 256, 80, 120)),
            **texts,
        )
    return gallery


def make_video(article, provider="youtube", video_id="dQw4w9WgXcQ", poster=True, file=None):
    """A video on `article`: an embed by default, an uploaded file when `file` is given."""
    from multimedia.models import Video

    fields = (
        {"file": file, "file_type": "video/mp4"}
        if file
        else {"provider": provider, "video_id": video_id}
    )
    return Video.objects.create(
        article=article, poster=image_upload("poster.png", (160, 90)) if poster else "", **fields
    )
