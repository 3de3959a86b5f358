"""`{% article_picture %}`: an article's lead image with WebP and JPEG renditions."""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from news.images import addresses_last, focus_of, renditions

register = template.Library()


def picture_context(field_file, width, height, sizes="100vw", alt="", loading="eager", aspect=None):
    """What picture_html needs to show a stored image through its renditions.

    `sizes` says how wide the image is shown, so the browser can choose before layout;
    `aspect` (a key of news.images.ASPECTS) is the ratio the page crops it to: the
    renditions are then cropped around the focal point, and width and height are theirs.
    """
    sources = renditions(field_file, width, aspect, height)
    # The original for browsers without srcset: it is already clean.
    src = field_file.url
    if aspect and sources:
        src, width, height = sources[-1].jpeg, sources[-1].width, sources[-1].height
    return {
        "sources": sources,
        "webp_srcset": ", ".join(f"{r.webp} {r.width}w" for r in sources),
        "jpeg_srcset": ", ".join(f"{r.jpeg} {r.width}w" for r in sources),
        "src": src,
        "width": width,
        "height": height,
        "sizes": sizes,
        "alt": alt,
        "loading": loading,
    }


def picture_html(context):
    """The <picture> of `picture_context`'s values. Written here rather than in a template:
    lists show one per article, and an included template costs more than the markup."""
    sources = (
        format_html(
            '<source type="image/webp" srcset="{}" sizes="{}">'
            '<source type="image/jpeg" srcset="{}" sizes="{}">',
            context["webp_srcset"],
            context["sizes"],
            context["jpeg_srcset"],
            context["sizes"],
        )
        if context["sources"]
        else ""
    )
    return format_html(
        '<picture>{}<img src="{}" alt="{}" width="{}" height="{}"{}></picture>\n',
        sources,
        context["src"],
        context["alt"],
        context["width"],
        context["height"],
        mark_safe(' loading="lazy"') if context["loading"] == "lazy" else "",
    )


@register.simple_tag
def article_picture(article, sizes="100vw", alt="", loading="eager", aspect=None):
    """An article's lead image as a <picture> with srcset per format (see picture_context)."""
    image = article.image
    storage = image.storage
    if not addresses_last(storage):  # it may sign each URL: asked every time
        return picture_html(
            picture_context(
                image, article.image_width, article.image_height, sizes, alt, loading, aspect
            )
        )
    return _local_picture(
        storage,
        storage.base_url,  # MEDIA_URL changes every address (tests override it)
        image.name,
        focus_of(image),
        article.image_width,
        article.image_height,
        sizes,
        alt,
        loading,
        aspect,
    )


# A list page shows 20 pictures of 16 addresses each, escaped into two srcsets: more
# than the rest of a card. On the local disk a picture depends on these values alone,
# so each worker writes it once (a few thousand cards: 2-3 MB).
@functools.lru_cache(maxsize=4096)
def _local_picture(storage, base_url, name, focus, width, height, sizes, alt, loading, aspect):
    return picture_html(
        picture_context(_Stored(storage, name, focus), width, height, sizes, alt, loading, aspect)
    )


class _Stored:
    """What renditions() and picture_context read of a stored image (a FieldFile would
    keep its model instance alive in the memo)."""

    def __init__(self, storage, name, focus):
        self.storage, self.name, self.focus = storage, name, focus

    def __bool__(self):
        return bool(self.name)

    @property
    def url(self):
        return self.storage.url(self.name)


@register.simple_tag
def article_body(html):
    """A body as readers get it, pictures included (news.body_images)."""
    from news.body_images import render_body

    return render_body(html)
