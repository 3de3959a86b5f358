"""Metadata for search engines and social networks: canonical and hreflang links,
Open Graph and Twitter cards, feed links, and JSON-LD on article pages."""

import json

from django import template
from django.templatetags.static import static
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext

from core import editions
from core.memo import cached_reverse
from core.site import absolute_url
from news.discovery import hreflang_alternates, w3c
from news.images import renditions
from news.models import Category
from news.templatetags.news import Slots, render_slotted

register = template.Library()

DESCRIPTION_WORDS = 40
LOGO = ("img/logo.png", 600, 60)
# What json.dumps leaves that could end a <script> element early.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def modified(article):
    # An article edited before its scheduled time was not modified after it came out.
    return max(article.updated_at, article.published_at)


def json_ld(data):
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES))


def share_image(article):
    """(url, width, height) of the widest JPEG rendition of the lead image, which every
    social network reads; the original where no renditions exist."""
    versions = renditions(article.image, article.image_width)
    if not versions:
        return article.image.url, article.image_width, article.image_height
    widest = versions[-1]
    height = round(article.image_height * widest.width / article.image_width)
    return widest.jpeg, widest.width, height


def site_name():
    return pgettext("site name", "Kazinform")


@register.simple_tag(takes_context=True)
def meta_tags(context):
    """includes/meta.html for the page being rendered: the markup is kept per worker for
    each shape of page (its edition, type, alternates, image or none, tags), the page's
    own addresses, titles and dates put in its slots (render_slotted)."""
    slots = Slots()
    meta = page_meta(context, slots)
    if not meta:
        return ""
    return render_slotted("includes/meta.html", {"meta": meta}, slots)


def page_meta(context, slot):
    """Everything includes/meta.html shows, for the page being rendered, with what differs
    from page to page given through `slot` (Slots)."""
    request = context.get("request")
    if request is None:  # e.g. a page rendered without its request, when the site is failing
        return {}
    edition = editions.get(translation.get_language())
    urls = {code: absolute_url(url) for code, url in (context.get("edition_urls") or {}).items()}
    if context.get("page_not_found"):
        # A 404 advertises no canonical address or alternates, even when its switcher
        # knows the editions where the page exists (they are only links for readers).
        urls = {}
    canonical = urls.get(edition.code)
    page_obj = context.get("page_obj")
    alternates = hreflang_alternates(urls)
    if canonical and page_obj is not None and page_obj.number > 1:
        # Page N of a list is its own page; other editions' page N may not exist.
        canonical += f"?page={page_obj.number}"
        alternates = []

    article = context.get("article")
    subject = context.get("subject")
    feeds = [(site_name(), absolute_url(cached_reverse("news:feed")))]
    if isinstance(subject, Category):
        feeds.append(
            (
                f"{subject.name} | {site_name()}",
                absolute_url(cached_reverse("news:category-feed", slug=subject.slug)),
            )
        )

    agency_description = gettext(
        "National news agency of Kazakhstan: news of Kazakhstan and the world."
    )
    meta = {
        "canonical": slot(canonical),
        "alternates": [(hreflang, slot(url)) for hreflang, url in alternates],
        "feeds": [(slot(title), slot(url)) for title, url in feeds],
        "site_name": site_name(),
        "locale": edition.bcp47.replace("-", "_"),
        "locale_alternates": [
            editions.get(code).bcp47.replace("-", "_") for code in urls if code != edition.code
        ],
        "type": "website",
        "title": slot(subject.name if subject is not None else site_name()),
        "description": slot(agency_description),
        "image": None,
    }
    if article is not None:
        meta.update(
            type="article",
            title=slot(article.title),
            description=slot(
                Truncator(article.lead).words(DESCRIPTION_WORDS) or agency_description
            ),
            published=slot(w3c(article.published_at)),
            modified=slot(w3c(modified(article))),
            section=slot(article.category.name),
            tags=[slot(tag.name) for tag in article.tags.all() if tag.name],
        )
        if article.image:
            url, width, height = share_image(article)
            meta["image"] = {
                "url": slot(absolute_url(url)),
                "width": slot(width),
                "height": slot(height),
                "alt": slot(article.image_alt or article.title),
            }
    return meta


@register.simple_tag(takes_context=True)
def article_structured_data(context, article):
    """JSON-LD NewsArticle and BreadcrumbList of an article page, ready for <script>."""
    edition = editions.get(translation.get_language())
    url = absolute_url(article.get_absolute_url())
    logo, width, height = LOGO
    publisher = {
        "@type": "Organization",
        "name": site_name(),
        "url": absolute_url(cached_reverse("news:home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(logo)),
            "width": width,
            "height": height,
        },
    }
    authors = [
        {
            "@type": "Person",
            "name": author.name,
            "url": absolute_url(author.get_absolute_url()),
        }
        for author in article.authors.all()
        if author.name
    ]
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": Truncator(article.title).chars(110),
        "description": article.lead,
        "datePublished": w3c(article.published_at),
        "dateModified": w3c(modified(article)),
        # Without a named author the agency itself is the author.
        "author": authors or [publisher],
        "publisher": publisher,
        "inLanguage": edition.bcp47,
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags.all() if tag.name],
    }
    if article.image:
        news_article["image"] = [absolute_url(share_image(article)[0])]

    trail = [(gettext("Main Page"), cached_reverse("news:home"))]
    trail += [
        (category.name, category.get_absolute_url()) for category in context.get("breadcrumbs", ())
    ]
    trail.append((article.title, article.get_absolute_url()))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }
    return {"news_article": json_ld(news_article), "breadcrumbs": json_ld(breadcrumbs)}
