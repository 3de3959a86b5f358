"""Live coverage on the article page: `{% live_label %}`, `{% live_updates %}`,
`{% live_structured_data %}` and `{% live_script %}`; each renders nothing for
an article without coverage."""

import html

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core import editions
from core.site import absolute_url
from live import coverage as live
from news.discovery import w3c
from news.images import renditions
from news.templatetags.discovery import json_ld, modified, site_name
from news.templatetags.renditions import picture_context, picture_html

register = template.Library()


@register.simple_tag
def live_label(article):
    found = live.for_article(article)
    if found is None or not found.running:
        return ""
    return render_to_string("includes/live_label.html")


@register.simple_tag
def live_updates(article):
    """The entries, newest first, under the article body; all of them, so the page is
    complete without JavaScript."""
    found = live.for_article(article)
    if found is None:
        return ""
    return render_to_string(
        "includes/live_updates.html",
        {
            "article": article,
            "running": found.running,
            "entries": found.entries,
        },
    )


@register.simple_tag
def live_script(article):
    """The polling script, only while the coverage runs: an ended one has nothing new."""
    found = live.for_article(article)
    if found is None or not found.running:
        return ""
    return format_html(
        '<script src="{}" data-live-url="{}" data-live-poll="{}" defer></script>',
        static("js/live.js"),
        reverse("live:updates", kwargs={"pk": article.pk}),
        settings.LIVE_POLL_SECONDS,
    )


@register.simple_tag
def live_entry_picture(entry, sizes="(max-width: 50rem) 100vw, 40rem"):
    """An entry's image with WebP and JPEG renditions, loaded lazily."""
    return picture_html(
        picture_context(
            entry.image, entry.image_width, entry.image_height, sizes, entry.image_alt, "lazy"
        )
    )


HEADLINE_CHARS = 110


@register.simple_tag
def live_structured_data(article):
    """A LiveBlogPosting JSON-LD block with every entry as a liveBlogUpdate."""
    found = live.for_article(article)
    if found is None:
        return ""
    url = absolute_url(article.get_absolute_url())
    updates = []
    for entry in found.entries:
        text = html.unescape(strip_tags(entry.body)).strip()
        update = {
            "@type": "BlogPosting",
            "headline": Truncator(text).chars(HEADLINE_CHARS),
            "articleBody": text,
            "datePublished": w3c(entry.published_at),
            "url": f"{url}#live-entry-{entry.pk}",
        }
        if entry.image:
            versions = renditions(entry.image, entry.image_width)
            update["image"] = absolute_url(versions[-1].jpeg if versions else entry.image.url)
        updates.append(update)
    newest = found.entries[0].published_at if found.entries else None
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": f"{url}#live",
        "url": url,
        "mainEntityOfPage": url,
        "headline": Truncator(article.title).chars(HEADLINE_CHARS),
        "description": article.lead,
        "inLanguage": editions.get(translation.get_language()).bcp47,
        "datePublished": w3c(article.published_at),
        "dateModified": w3c(max(filter(None, [modified(article), newest]))),
        "coverageStartTime": w3c(found.coverage.started_at),
        "publisher": {
            "@type": "Organization",
            "name": site_name(),
            "url": absolute_url(reverse("news:home")),
        },
        "liveBlogUpdate": updates,
    }
    if found.coverage.ended_at:
        data["coverageEndTime"] = w3c(found.coverage.ended_at)
    return mark_safe(f'<script type="application/ld+json">{json_ld(data)}</script>')
