"""`{% article_picture %}`: an article's lead image with WebP and JPEG renditions."""

from django import template

from news.images import renditions

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def article_picture(article, sizes="100vw", alt="", loading="eager"):
    """A <picture> with srcset per format; the browser picks the width it needs.

    `sizes` says how wide the image is shown, so the browser can choose before layout.
    """
    sources = renditions(article.image, article.image_width)
    return {
        "article": article,
        "sources": sources,
        "webp_srcset": ", ".join(f"{r.webp} {r.width}w" for r in sources),
        "jpeg_srcset": ", ".join(f"{r.jpeg} {r.width}w" for r in sources),
        # The original as src for browsers without srcset: it is already clean.
        "src": article.image.url,
        "sizes": sizes,
        "alt": alt,
        "loading": loading,
    }
