"""The one allow-list of HTML that an article body may carry to a reader.

Bodies are cleaned by nh3 (the Rust ammonia sanitiser) when the editor saves the
form and again whenever an article is saved, so nothing that bypasses the form
(the demo loader, a shell, a restored revision) can bring scripts, event
handlers, styles, `javascript:` or `data:` URLs or foreign iframes to a page.
"""

import nh3
from modeltranslation.utils import build_localized_fieldname

from core import editions

TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "iframe",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Video players we embed; any other iframe loses its address and shows nothing.
EMBED_PREFIXES = (
    "https://www.youtube.com/embed/",
    "https://www.youtube-nocookie.com/embed/",
    "https://player.vimeo.com/video/",
)


def _filter_attribute(tag, attribute, value):
    """Called by nh3 for every allowed attribute; None drops it."""
    if tag == "iframe" and attribute == "src":
        return value if value.startswith(EMBED_PREFIXES) else None
    return value


def clean_html(html):
    """`html` with everything outside the allow-list removed (text is kept, escaped)."""
    if not html:
        return html
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


BODY_FIELDS = tuple(build_localized_fieldname("body", code) for code in editions.CODES)


def sanitize_article(sender, instance, **kwargs):
    """pre_save receiver: clean the body of every edition of the article."""
    for name in BODY_FIELDS:
        value = getattr(instance, name)
        if value:
            setattr(instance, name, clean_html(value))
