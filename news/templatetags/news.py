import re
from urllib.parse import quote

from django import template
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_format
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from core import editions
from core.cache import cached, page_fragment
from core.memo import BoundedMemo, cached_reverse, remembered
from core.site import absolute_url
from news import archive, counting
from news.images import addresses_last
from news.models import Article, Category, SiteSettings, most_read, popular_since

register = template.Library()

POPULAR_CACHE_SECONDS = 60
POPULAR_LIMIT = 5
SITE_WIDE_CACHE_SECONDS = 600


def site_chrome(code):
    """What every page of edition `code` shows around its content and what changes only with
    content, in one cache entry (one round trip per page): the main menu's items
    [(name, url)], the contact phone, and the whole footer, already rendered."""

    def compute():
        menu = [(category.name, category.get_absolute_url()) for category in Category.menu(code)]
        phone = SiteSettings.read().phone
        homes = []
        for edition in editions.EDITIONS:
            with translation.override(edition.code):
                homes.append((edition, reverse("news:home")))
        footer = render_to_string(
            "includes/footer.html", {"sections": menu, "editions": homes, "phone": phone}
        )
        return {"menu": menu, "phone": phone, "footer": footer}

    return cached(chrome_key(code), compute, SITE_WIDE_CACHE_SECONDS)


@page_fragment
def chrome_key(code):
    return f"chrome:{code}"


@page_fragment
def popular_key(code, limit=POPULAR_LIMIT):
    return f"popular:{code}:{limit + 1}"


def menu_items(code):
    """[(name, url)] of the edition's top categories with news, cached until content changes."""
    return site_chrome(code)["menu"]


# Rendered alike on nearly every page of an edition, and costing more to render than to
# recognise: the masthead with the main menu, and the most read list. Each is kept per
# worker by everything it shows.
kept_fragments = BoundedMemo(2 * 1024 * 1024)


def render_kept(key, template_name, values):
    return kept_fragments.get(key, lambda: mark_safe(render_to_string(template_name, values)))


# A marker that stands in a kept rendering for one page's value (render_slotted): made of
# private-use characters, which no escaping and no template text produces.
SLOT = "\ue000{}\ue001"
SLOT_MARKER = re.compile("\ue000(\\d+)\ue001")
AUTOESCAPED = Context(autoescape=True)


class Slots:
    """The values of one page that a kept rendering shows through markers: slots(value)
    is what the template is given instead of `value`. A falsy value is given as itself,
    so that the template's {% if %} sees it as it is."""

    def __init__(self):
        self.values = []

    def __call__(self, value):
        if not value:
            return value
        self.values.append(value)
        return SLOT.format(len(self.values) - 1)


def render_slotted(template_name, values, slots):
    """`template_name` rendered with `values`, kept per worker by the active language and
    by everything in `values` (markers, lists, empty values and all), each marker then
    replaced by its slot's value as {{ value }} shows it: the markup around a page's own
    addresses and titles is rendered once for each shape of page. The template shows
    each slot only as a plain {{ value }} (no filter, no comparison but its truth)."""
    key = ("slotted", template_name, translation.get_language(), _frozen(values))
    filled = slots.values
    kept = render_kept(key, template_name, values)
    return mark_safe(
        SLOT_MARKER.sub(
            lambda marker: render_value_in_context(filled[int(marker[1])], AUTOESCAPED), kept
        )
    )


def _frozen(values):
    """`values` (a dict, list or tuple of them and of hashable values) as one hashable
    whole. Leaves are taken as they are, not by a call each: a page's meta tags have
    about fifty."""
    if isinstance(values, dict):
        values = [item for pair in values.items() for item in pair]
    return tuple([_frozen(value) if isinstance(value, CONTAINERS) else value for value in values])


CONTAINERS = (dict, list, tuple)


@register.simple_tag(takes_context=True)
def masthead(context):
    """The brand, the search form and the main menu: the edition's top categories with
    news in them (cached until content changes), with the page's own section marked: the
    top category of the category or article being read, from what the page already has
    in its context."""
    code = translation.get_language()
    items = menu_items(code)
    home_url = cached_reverse("news:home")
    trail = context.get("breadcrumbs") or []
    subject = context.get("subject")
    # Archive pages' trails are dates, not sections: they mark no menu item.
    top = trail[0] if trail else subject
    section = top.get_absolute_url() if isinstance(top, Category) else None
    request = context.get("request")
    here = request.path if request is not None else None
    if here != home_url and all(url != here for _name, url in items):
        here = None  # not a page of the menu's: what marks it is the same for all of them
    values = {
        "items": items,
        "home_url": home_url,
        "search_url": cached_reverse("news:search"),
        "here": here,
        "section": section,
        "query": context.get("query"),
    }
    if values["query"]:  # what was searched: as many mastheads as searches, none kept
        return render_to_string("includes/masthead.html", values)
    key = ("masthead", code, home_url, here, section, tuple(map(tuple, items)))
    return render_kept(key, "includes/masthead.html", values)


@register.simple_tag
def site_footer():
    """The footer, the same on every page of the edition (see site_chrome)."""
    return mark_safe(site_chrome(translation.get_language())["footer"])


@register.simple_tag
def site_phone():
    """The contact phone editors set in the site settings."""
    return site_chrome(translation.get_language())["phone"]


def most_read_now(limit):
    """The active edition's `limit` most read articles at this moment."""
    now = timezone.now()
    return most_read(limit)(now=now, since=popular_since(now))


@register.simple_tag
def popular_articles(limit=POPULAR_LIMIT, exclude=None):
    """The edition's most read articles of the last days (cached briefly), without
    `exclude`, the article being read. One more is kept so that the list stays full
    without it, and every page shares the same cached list."""
    code = translation.get_language()
    articles = cached(
        popular_key(code, limit),
        lambda: most_read_now(limit + 1),
        POPULAR_CACHE_SECONDS,
    )
    if exclude is not None:
        articles = [article for article in articles if article.pk != exclude.pk]
    shown = articles[:limit]
    key = ("popular", code, tuple((article.pk, article.slug, article.title) for article in shown))
    return render_kept(key, "includes/popular.html", {"articles": shown})


@register.simple_tag(takes_context=True)
def edition_switcher(context):
    """A link per edition to the same page there; editions without this page get no link
    (url None) and are marked as such. Pages that do not say which editions have them
    (e.g. a plain "page not found") lead to each edition's home page. Rendered once per
    worker for each edition and set of editions that have the page (render_slotted)."""
    urls = context.get("edition_urls")
    current = translation.get_language()
    slots = Slots()
    links = []
    for edition in editions.EDITIONS:
        if urls is None:
            with translation.override(edition.code):
                url = reverse("news:home")
        else:
            url = urls.get(edition.code)
        links.append({"edition": edition, "url": slots(url), "current": edition.code == current})
    return render_slotted("includes/switcher.html", {"links": links}, slots)


@register.simple_tag
def edition_links(available):
    """Links to the editions in `available` ([(edition, url)]), named in their own language
    and joined the way the reader's edition joins a list."""
    separator = pgettext("list separator", ", ")
    return format_html_join(
        separator,
        '<a href="{}" lang="{}" hreflang="{}">{}</a>',
        ((url, e.bcp47, e.bcp47, e.name_local) for e, url in available),
    )


@register.simple_tag
@remembered  # every list shows a date per article
def time_element(moment, format_name="DATETIME_FORMAT"):
    """<time> with the machine-readable moment and the edition's own format of it."""
    moment = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>',
        date_format(moment, r"Y-m-d\TH:i:sO"),
        date_format(moment, format_name),
    )


register.simple_tag(archive.archive_url, name="archive_url")


@register.simple_tag
@remembered
def dated(moment, format_name="DATETIME_FORMAT"):
    """An article's date as `time_element`, linked to the archive of its (Almaty) day."""
    return format_html(
        '<a class="dated" href="{}">{}</a>',
        archive.archive_url(timezone.localdate(moment)),
        time_element(moment, format_name),
    )


@register.simple_tag
def news_time(moment):
    """<time> for a news feed, as precise as the reader needs: "14:05" today, "Yesterday,
    14:05" the day before, the full date and time ("April 23, 2021, 4:38 PM") otherwise; days
    as the agency counts them (Asia/Almaty), in the edition's own formats."""
    return _news_time(moment, timezone.localdate())


@remembered
def _news_time(moment, today):
    # Remembered per day as well: the home page's feed formats 40 dates otherwise.
    moment = timezone.localtime(moment)
    days_ago = (today - moment.date()).days
    time = date_format(moment, "TIME_FORMAT")
    if days_ago == 0:
        text = time
    elif days_ago == 1:
        text = gettext("Yesterday, %(time)s") % {"time": time}
    else:
        text = date_format(moment, "DATETIME_FORMAT")
    return format_html('<time datetime="{}">{}</time>', date_format(moment, r"Y-m-d\TH:i:sO"), text)


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


@register.simple_tag(takes_context=True)
def highlighted(context, text):
    """`text` with the searched words marked by the page's `highlight`
    (news.search.highlighter) on the results page; elsewhere `text`, escaped as any other."""
    highlight = context.get("highlight")
    return highlight(text) if highlight else text


# A list page's twenty cards cost more to render than the rest of its template, and the
# same cards come back on the category, tag, author and archive pages, before and after
# each publication: each card is kept per worker, by the version of its article (its
# last save) and what else it depends on. 24 MB: some 10,000 cards with a picture,
# 40,000 without, inside a worker's memory budget (docs/benchmark.md).
kept_cards = BoundedMemo(24 * 1024 * 1024)


@register.simple_tag(takes_context=True)
def article_cards(context, articles, level):
    """The cards of a list of articles (includes/card.html), headings at `level` (text).
    Search results, where the searched words are marked, are rendered every time."""
    template = context.template.engine.get_template("includes/card.html")

    def render(article):
        with context.push(article=article, level=level):
            return template.render(context)

    # Not where the images' storage may sign each picture's address.
    storage = Article._meta.get_field("image").storage
    keep = not context.get("highlight") and addresses_last(storage)
    # MEDIA_URL is part of every picture's address (tests override it).
    locale = (translation.get_language(), storage.base_url, level)
    cards = []
    for article in articles:
        version = vars(article).get("updated_at")  # never a query for a deferred column
        if keep and version is not None:
            key = (*locale, article.pk, version)
            cards.append(kept_cards.get(key, lambda article=article: render(article)))
        else:
            cards.append(render(article))
    return mark_safe("".join(f"\n{card}" for card in cards))


@register.simple_tag
def address(viewname, **kwargs):
    """{% url %} for the site's own pages, remembered per worker and edition (core.memo):
    reverse() costs 30–50 µs, and every page asks for the same few addresses."""
    return cached_reverse(viewname, **kwargs)


@register.simple_tag
def view_token(article):
    """The signed token that lets this page's <noscript> image count one read."""
    return counting.view_token(article.pk, translation.get_language())


class KeptPartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        parts = context.get("article_parts")
        if parts is None:
            return self.nodelist.render(context)
        return parts.part(self.name, lambda: self.nodelist.render(context))


@register.tag
def kept_part(parser, token):
    """{% kept_part "name" %}…{% endkept_part %}: part `name` of an article's page, as the
    page's kept parts (context `article_parts`, news.article_parts) have it, else
    rendered (and then kept with them)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("kept_part takes one quoted name")
    nodelist = parser.parse(("endkept_part",))
    parser.delete_first_token()
    return KeptPartNode(bits[1][1:-1], nodelist)
