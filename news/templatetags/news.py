from urllib.parse import quote

from django import template
from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html

from core import editions
from core.cache import cached
from core.site import absolute_url
from news import counting
from news.models import Article, Category, SiteSettings

register = template.Library()

POPULAR_CACHE_SECONDS = 60
SITE_WIDE_CACHE_SECONDS = 600


@register.inclusion_tag("includes/navigation.html")
def main_navigation():
    """Top categories of the edition for the main menu (cached until content changes)."""
    code = translation.get_language()

    def compute():
        return [
            (category.name, category.get_absolute_url())
            for category in Category.objects.in_edition(code).filter(parent=None)
        ]

    return {"items": cached(f"nav:{code}", compute, SITE_WIDE_CACHE_SECONDS)}


@register.simple_tag
def site_phone():
    """The contact phone editors set in the site settings."""
    return cached("site:phone", lambda: SiteSettings.read().phone, SITE_WIDE_CACHE_SECONDS)


@register.inclusion_tag("includes/popular.html")
def popular_articles(limit=5):
    """The edition's most read articles of the last days (cached briefly)."""
    code = translation.get_language()
    articles = cached(
        f"popular:{code}:{limit}",
        lambda: list(Article.objects.for_readers(code).popular(code)[:limit]),
        POPULAR_CACHE_SECONDS,
    )
    return {"articles": articles}


@register.inclusion_tag("includes/switcher.html", takes_context=True)
def edition_switcher(context):
    """A link per edition: the same page where it exists there, that edition's home otherwise."""
    urls = context.get("edition_urls") or {}
    current = translation.get_language()
    links = []
    for edition in editions.EDITIONS:
        url = urls.get(edition.code)
        if url is None:
            with translation.override(edition.code):
                url = reverse("news:home")
        links.append({"edition": edition, "url": url, "current": edition.code == current})
    return {"links": links}


@register.simple_tag
def time_element(moment, format_name="DATETIME_FORMAT"):
    """<time> with the machine-readable moment and the edition's own format of it."""
    moment = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>',
        date_format(moment, r"Y-m-d\TH:i:sO"),
        date_format(moment, format_name),
    )


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_links(context, article):
    url = quote(absolute_url(article.get_absolute_url()), safe="")
    title = quote(article.title, safe="")
    return {
        "links": [
            ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
            ("X", f"https://twitter.com/intent/tweet?url={url}&text={title}"),
            ("Telegram", f"https://t.me/share/url?url={url}&text={title}"),
            ("WhatsApp", f"https://wa.me/?text={title}%20{url}"),
            ("VK", f"https://vk.com/share.php?url={url}"),
        ],
        "mail": f"mailto:?subject={title}&body={url}",
    }


@register.simple_tag
def view_token(article):
    """The signed token that lets this page's <noscript> image count one read."""
    return counting.view_token(article.pk, translation.get_language())
