"""`{% article_picture %}`: an article's lead image with WebP and JPEG renditions."""

from django import template

from news.images import renditions

register = template.Library()


def picture_context(field_file, width, height, sizes="100vw", alt="", loading="eager", aspect=None):
    """What includes/picture.html needs to show a stored image through its renditions.

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


@register.inclusion_tag("includes/picture.html")
def article_picture(article, sizes="100vw", alt="", loading="eager", aspect=None):
    """An article's lead image as a <picture> with srcset per format (see picture_context)."""
    return picture_context(
        article.image, article.image_width, article.image_height, sizes, alt, loading, aspect
    )


@register.simple_tag
def article_body(html):
    """A body as readers get it, pictures included (news.body_images)."""
    from news.body_images import render_body

    return render_body(html)
