"""Plain-text fields (title, lead, dateline, caption, names) carrying XSS payloads
are shown as text everywhere they appear: the article page with its metadata and
JSON-LD, every listing (home, category, tag, author, search) and the RSS feeds.
Article bodies, which are HTML, are covered by tests/test_admin_sanitize.py."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, make_staff
from tests.builders import make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "<!--</script><svg onload=alert(1)>",
    "\u2028</SCRIPT ><script>alert(1)</script>",
]

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(params=PAYLOADS)
def hostile(request, client):
    """An article whose text fields and whose category, tag and author names all
    carry the payload, saved through the admin as an editor would."""
    payload = request.param
    client.force_login(make_staff(CHIEF_EDITOR))
    category = make_category(name=payload)
    tag, author = make_tag(name=payload), make_author(name=payload)
    data = article_form_data(
        category,
        status="published",
        title_en=f"Title {payload}",
        lead_en=f"Lead {payload}",
        dateline_city_en=f"Astana {payload}",
        tags=[tag.pk],
        authors=[author.pk],
    )
    assert client.post(add_url(), data).status_code == 302
    client.logout()
    article = Article.objects.get(slug="from-the-admin")
    return payload, article


class Text(HTMLParser):
    """The text nodes of a page (entities decoded), outside scripts."""

    def __init__(self, html):
        super().__init__()
        self.parts, self.in_script = [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if not self.in_script:
            self.parts.append(data)


def assert_shown_as_text(html, text):
    """`text` is on the page as text, and nothing in the page is markup it smuggled in."""
    # Inside one text node: had any of it been read as a tag, the node would end there.
    assert any(text in part for part in Text(html).parts), text
    for block in JSON_LD.findall(html):
        assert "<" not in block  # nothing inside could end the block early
    markup = JSON_LD.sub("", html)  # JSON-LD is data: quotes there are harmless
    # The only other scripts a page has are files (the article's beacon).
    for tag in re.findall(r"<script\b[^>]*>", markup, re.IGNORECASE):
        assert re.search(r'\bsrc="/static/', tag), tag
    assert not re.search(r"<(img|svg)\b[^>]*\bon\w+=", markup, re.IGNORECASE)
    assert not re.search(r"\son\w+='alert", markup)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_text_fields_saved_in_the_admin_reach_the_reader_as_text(client, hostile):
    payload, article = hostile
    html = page(client, article.get_absolute_url())
    assert_shown_as_text(html, f"Title {payload}")
    assert_shown_as_text(html, f"Lead {payload}")
    # Exactly the page's own scripts: two JSON-LD blocks and the beacon.
    assert len(re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)) == 3


@pytest.mark.parametrize("listing", ["home", "category", "tag", "author", "search"])
def test_text_fields_are_text_in_every_listing(client, hostile, listing):
    payload, article = hostile
    url = {
        "home": "/en/",
        "category": article.category.get_absolute_url(),
        "tag": article.tags.get().get_absolute_url(),
        "author": article.authors.get().get_absolute_url(),
        # A word of the body only: highlighting marks matched words in titles and leads.
        "search": "/en/search/?" + urlencode({"q": "written"}),
    }[listing]
    html = page(client, url)
    assert_shown_as_text(html, f"Title {payload}")
    if listing in ("category", "tag", "author"):
        assert_shown_as_text(html, payload)  # the subject's own name, as its heading
    # Listings run no script at all.
    assert not re.search(r"<script\b", html, re.IGNORECASE)


RSS_NAMES = {"dc": "http://purl.org/dc/elements/1.1/"}


@pytest.mark.parametrize("feed", ["edition", "category"])
def test_text_fields_are_text_in_the_feeds(client, hostile, feed):
    payload, article = hostile
    url = "/en/rss/" if feed == "edition" else f"{article.category.get_absolute_url()}rss/"
    response = client.get(url)
    assert response.status_code == 200
    # Well-formed XML whatever the payload, and every field is one text node.
    item = ET.fromstring(response.content).find("channel/item")
    assert item.findtext("title") == f"Title {payload}"
    name = f"{payload} [en]"  # as tests.builders names things
    assert item.findtext("dc:creator", namespaces=RSS_NAMES) == name
    assert [c.text for c in item.findall("category")] == [name, name]
    # <description> is HTML by convention: as HTML it must still be just text.
    description = item.findtext("description")
    assert "<" not in description and ">" not in description
    assert Text(description).parts == [f"Lead {payload}"]
    if feed == "category":
        channel_title = ET.fromstring(response.content).findtext("channel/title")
        assert channel_title == f"{name} | Kazinform"
