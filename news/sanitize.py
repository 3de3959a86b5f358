"""The one allow-list of HTML that an article body may carry to a reader.

Bodies are cleaned by nh3 (the Rust ammonia sanitiser) when the editor saves the
form and again whenever an article is saved, so nothing that bypasses the form
(the demo loader, a shell, a restored revision) can bring scripts, event
handlers, styles, `javascript:` or `data:` URLs or foreign iframes to a page.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
# A picture in the body (news.body_images): the BodyImage it shows and, in this
# edition's words, its alt text, caption and credit. Readers get the figure built
# from these; the <img> inside is only what the editor shows while writing.
BODY_IMAGE_ATTRIBUTES = {"data-body-image", "data-alt", "data-caption", "data-credit"}
BODY_IMAGE_ID = re.compile(r"[1-9][0-9]{0,11}")
# Room enough for the longest caption the lead image allows.
BODY_IMAGE_TEXT_LIMIT = 300
ATTRIBUTES = {
    "figure": BODY_IMAGE_ATTRIBUTES,
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Video players we embed, by exact host: the whole path must match the player's
# pattern, and only these query parameters, with these values, are kept. Any
# other iframe address is dropped, so the iframe shows nothing.
YOUTUBE_PATH = re.compile(r"/embed/[A-Za-z0-9_-]{11}")
YOUTUBE_QUERY = {
    "start": re.compile(r"[0-9]{1,6}"),
    "end": re.compile(r"[0-9]{1,6}"),
    "rel": re.compile(r"[01]"),
}
EMBEDS = {
    "www.youtube.com": (YOUTUBE_PATH, YOUTUBE_QUERY),
    "www.youtube-nocookie.com": (YOUTUBE_PATH, YOUTUBE_QUERY),
    "player.vimeo.com": (re.compile(r"/video/[0-9]{1,12}"), {"h": re.compile(r"[0-9a-f]{6,32}")}),
}


def embed_address(value):
    """The player address `value`, rebuilt from its checked parts, or None if it is not one.

    Parsed, never prefix-matched: https only, an exact known host (no user,
    port or look-alike), the player's exact path (so no `..`, no encoded
    characters, no redirect endpoints), only known query parameters and no
    fragment.
    """
    if any(ch.isspace() or ch == "\\" or ord(ch) < 0x20 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme != "https" or parts.netloc not in EMBEDS or parts.fragment:
        return None
    path_pattern, allowed_query = EMBEDS[parts.netloc]
    if not path_pattern.fullmatch(parts.path):
        return None
    try:
        query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        return None
    names = [name for name, _value in query]
    if len(set(names)) != len(names):
        return None
    for name, item in query:
        pattern = allowed_query.get(name)
        if pattern is None or not pattern.fullmatch(item):
            return None
    return urlunsplit(("https", parts.netloc, parts.path, urlencode(query), ""))


def body_image_allowlist(config, shared_config):
    """django-prose-editor's processor for the BodyImage extension (unused by our
    cleaning, which is clean_html's allow-list; named for the editor's configuration)."""
    shared_config["tags"].update({"figure", "img"})
    shared_config["attributes"].setdefault("figure", set()).update(BODY_IMAGE_ATTRIBUTES)
    shared_config["attributes"].setdefault("img", set()).update({"src", "alt"})


def _filter_attribute(tag, attribute, value):
    """Called by nh3 for every allowed attribute; None drops it."""
    if tag == "iframe" and attribute == "src":
        return embed_address(value)
    if tag == "figure":
        if attribute == "data-body-image":
            return value if BODY_IMAGE_ID.fullmatch(value) else None
        # Plain text: nh3 escapes it; line breaks and control characters go.
        text = " ".join(value.split())
        return "".join(ch for ch in text if ch.isprintable())[:BODY_IMAGE_TEXT_LIMIT]
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
