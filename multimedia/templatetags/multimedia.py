"""Photos with renditions, galleries and videos on pages, and their JSON-LD."""

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from core import editions
from core.site import absolute_url
from multimedia.models import Gallery, with_reader_media
from news.discovery import w3c
from news.images import renditions
from news.models import Article
from news.templatetags.discovery import json_ld

register = template.Library()


def _widest(field_file, width, height):
    """(url, width, height) of the widest JPEG rendition, the original where there is none."""
    versions = renditions(field_file, width)
    if not versions:
        return field_file.url, width, height
    widest = versions[-1]
    return widest.jpeg, widest.width, round(height * widest.width / width)


@register.inclusion_tag("includes/photo_picture.html")
def photo_picture(field_file, width, height, alt="", sizes="100vw", loading="lazy"):
    """A <picture> of any cleaned image with WebP and JPEG renditions (news.images)."""
    sources = renditions(field_file, width)
    return {
        "sources": sources,
        "webp_srcset": ", ".join(f"{r.webp} {r.width}w" for r in sources),
        "jpeg_srcset": ", ".join(f"{r.jpeg} {r.width}w" for r in sources),
        "src": field_file.url,
        "width": width,
        "height": height,
        "alt": alt,
        "sizes": sizes,
        "loading": loading,
    }


def counter_template():
    """The viewer's "3 / 12" with {current} and {total} for the script to fill in.

    Every edition writes its numbers with the digits its dates use (0–9).
    """
    return gettext("%(current)s / %(total)s") % {"current": "{current}", "total": "{total}"}


@register.inclusion_tag("includes/gallery_viewer.html")
def gallery_viewer(
    gallery, photos, heading_level=2, first_loading="eager", link=False, labelled_by=None
):
    """A gallery's photos; with `labelled_by` (the id of the page's own heading) it shows
    no heading of its own, as on the gallery's page."""
    return {
        "label_id": labelled_by or f"gallery-{gallery.pk}-title",
        "gallery": gallery,
        "photos": photos,
        "heading_level": None if labelled_by else heading_level,
        "first_loading": first_loading,
        "link": link,
        "counter": counter_template(),
    }


def media_of(article):
    """(video or None, galleries readers of this edition can see) of `article`.

    On the article's page both came with the article (with_reader_media); elsewhere one
    query reads them. Only an article with a gallery placed in it costs a query for its
    galleries and their photos. Kept on the article, as the page asks in its metadata,
    its content and its scripts.
    """
    if not hasattr(article, "_reader_media"):
        row = article
        if "has_galleries" not in article.__dict__:
            alone = Article.objects.filter(pk=article.pk).only("pk", "video")
            row = with_reader_media(alone).first()
        video = getattr(row, "video", None) if row is not None else None
        galleries = []
        if row is not None and row.has_galleries:
            galleries = list(
                Gallery.objects.for_readers().filter(article=article).with_photos().newest_first()
            )
        article._reader_media = (video, galleries)
    return article._reader_media


@register.simple_tag
def article_video(article):
    return media_of(article)[0]


@register.simple_tag
def article_galleries(article):
    """The galleries placed in `article` that readers of this edition can see, with photos."""
    return media_of(article)[1]


def _iso_duration(duration):
    seconds = int(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{seconds}S"


@register.simple_tag
def video_structured_data(article, video):
    """JSON-LD VideoObject of an article's video."""
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": Truncator(article.title).chars(110),
        "description": article.lead or article.title,
        "uploadDate": w3c(article.published_at),
        "inLanguage": editions.get(translation.get_language()).bcp47,
        "url": absolute_url(article.get_absolute_url()),
    }
    if video.poster:
        data["thumbnailUrl"] = [
            absolute_url(_widest(video.poster, video.poster_width, video.poster_height)[0])
        ]
    if video.file:
        data["contentUrl"] = absolute_url(video.file.url)
        data["encodingFormat"] = video.file_type
    elif video.embed_url:
        data["embedUrl"] = video.embed_url
    if video.duration:
        data["duration"] = _iso_duration(video.duration)
    return json_ld(data)


@register.simple_tag
def gallery_structured_data(gallery, photos):
    """JSON-LD ImageGallery of a gallery page, each photo an ImageObject."""
    url = absolute_url(gallery.get_absolute_url())
    images = []
    for photo in photos:
        src, width, height = _widest(photo.image, photo.image_width, photo.image_height)
        image = {
            "@type": "ImageObject",
            "contentUrl": absolute_url(src),
            "width": width,
            "height": height,
        }
        if photo.caption:
            image["caption"] = photo.caption
        if photo.alt:
            image["description"] = photo.alt
        if photo.credit:
            image["creditText"] = photo.credit
        images.append(image)
    data = {
        "@context": "https://schema.org",
        "@type": "ImageGallery",
        "name": gallery.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": editions.get(translation.get_language()).bcp47,
        "datePublished": w3c(gallery.published_at),
        "dateModified": w3c(max(gallery.updated_at, gallery.published_at)),
        "isPartOf": {"@type": "WebSite", "url": absolute_url(reverse("news:home"))},
        "associatedMedia": images,
    }
    if gallery.description:
        data["description"] = gallery.description
    return json_ld(data)
