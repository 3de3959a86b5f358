"""Every interface string is translated in every edition, and no page mixes languages."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import polib
import pytest
from django.conf import settings

from core import editions
from tests.builders import make_article, make_author, make_category, make_tag

PROJECT_CATALOGS = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/*.po"))
LOCALES = {"ru", "kk", "kk_Latn", "zh_Hans", "kk_Arab", "uz"}

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def test_every_edition_has_a_project_catalog():
    assert {po.parent.parent.name for po in PROJECT_CATALOGS} >= LOCALES


@pytest.mark.parametrize("po_path", PROJECT_CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_has_no_untranslated_or_fuzzy_message(po_path):
    catalog = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}"
    assert fuzzy == [], f"fuzzy in {po_path}"
    assert "fuzzy" not in catalog.metadata_as_entry().flags


class VisibleText(HTMLParser):
    """Text a reader sees, without scripts, styles, the edition switcher and anything marked
    as being in a language of its own (`lang`, e.g. the footer's list of editions, each
    named in its own language)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if (
            tag in ("script", "style")
            or "switcher" in classes.split()
            or (tag != "html" and "lang" in dict(attrs))
            or self.skip
            and tag == self.skip[-1]
        ):
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and tag == self.skip[-1]:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def pages_of_every_kind(db):
    news = make_category("news")
    tag, author = make_tag("senate"), make_author("adlet")
    article = make_article(
        codes=("en", "ru", "kk", "kk-latn", "zh-hans", "kk-arab", "uz"),
        category=make_category("parliament", parent=news),
        tags=[tag],
        authors=[author],
        slug="meeting",
        **{f"dateline_city_{c}": "City" for c in ("en",)},
    )
    # Each page with the status it must answer: a page that turned into a 404
    # would otherwise be checked as if it were the real one.
    return lambda code: [
        (f"/{code}/", 200),
        (f"/{code}/article/{article.pk}-meeting/", 200),
        (f"/{code}/category/news/", 200),
        (f"/{code}/category/parliament/", 200),
        (f"/{code}/tag/senate/", 200),
        (f"/{code}/author/adlet/", 200),
        (f"/{code}/search/?q=", 200),
        # A search that finds the article, so its result list is checked too.
        (
            # (its headline without the "[code]" marker, which highlighting would split)
            f"/{code}/search/?{urlencode({'q': article.text('title', code).split(' [')[0]})}",
            200,
        ),
        (f"/{code}/search/?q=424242", 200),
        (f"/{code}/no-such-page/", 404),
    ]


def visible_text(client, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    return VisibleText.of(response.content.decode())


# Test data marks content with its edition code in brackets, e.g. "[kk-arab]";
# only these exact markers are removed, never any word.
EDITION_MARKER = re.compile(r"\[(?:" + "|".join(map(re.escape, editions.CODES)) + r")\]")


def test_english_pages_contain_no_foreign_interface_text(client, pages_of_every_kind):
    for url, status in pages_of_every_kind("en"):
        text = visible_text(client, url, status)
        assert not CYRILLIC.search(text), (url, CYRILLIC.findall(text))
        assert not ARABIC.search(text) and not HAN.search(text), url


# Words that may stay in Latin letters on any page: brand names of share services, and
# the name of the feed format.
LATIN_ALLOWED = {"Facebook", "Telegram", "WhatsApp", "RSS"}


@pytest.mark.parametrize("code", ["ru", "kk", "zh-hans", "kk-arab", "uz"])
def test_non_latin_editions_show_no_english_interface_words(client, pages_of_every_kind, code):
    for url, status in pages_of_every_kind(code):
        text = EDITION_MARKER.sub("", visible_text(client, url, status))
        words = set(LATIN_WORD.findall(text)) - LATIN_ALLOWED
        assert not words, (url, sorted(words))


def test_latin_kazakh_pages_show_no_cyrillic(client, pages_of_every_kind):
    for url, status in pages_of_every_kind("kk-latn"):
        text = visible_text(client, url, status)
        assert not CYRILLIC.search(text), (url, CYRILLIC.findall(text))
