"""Every admin screen an editor meets speaks the admin's language, in its script.

Each page type (home, desk, list, add, change, history, compare, delete, password
change, sign-in, lockout) is rendered in each admin language, and the text an editor
reads on it (text, titles, placeholders, labels of buttons) is checked:

- no English word outside a few brand names, in any language but English;
- no Cyrillic letter on kk-latn, kk-arab and zh-hans screens;
- no Latin letter on kk, ru, uz and kk-arab screens.

What editors typed is not interface: form values and text areas are left out, and
so is anything marked with another language (`lang`), such as the other editions'
names in the language switcher, which rightly keep their own script.
"""

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version

from core import editions, translit
from core.management.commands import build_admin_catalogs as build
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, change_url, make_staff
from tests.builders import SAMPLE_WORDS, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

LANGUAGES = [edition.code for edition in editions.EDITIONS if edition.code != editions.DEFAULT]
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN_WORD = re.compile(r"[A-Za-z]+")
# Names written the same in every language, and what an editor types as it is.
ALLOWED = {"HTML", "URL", "Kazinform", "Django", "JSON"}
CYRILLIC_SCREENS = {"kk", "ru", "uz"}
LATIN_SCREENS = {"kk-latn"}
# A password nobody types by mistake; the user name has no letters, so it is not
# taken for interface text in any script.
PASSWORD = "a long chief editor password"
USERNAME = "7001"

BUILT = settings.BASE_DIR / "locale" / "django"

SKIPPED = {"script", "style", "textarea", "template", "noscript", "svg"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class InterfaceText(HTMLParser):
    """The text of a page an editor reads, minus what is marked as another language."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang = None
        self.stack = []  # (tag, skipped)
        self.texts = []

    def skipping(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = attrs.get("lang")
            return
        lang = attrs.get("lang")
        skipped = self.skipping() or tag in SKIPPED or (lang is not None and lang != self.page_lang)
        if not skipped:
            self.texts += [attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name)]
            if tag in ("input", "button") and attrs.get("type") in ("submit", "button", "reset"):
                self.texts.append(attrs.get("value") or "")
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.texts.append(data)


def interface_text(html):
    parser = InterfaceText()
    parser.feed(html)
    return parser.texts


def english_vocabulary():
    """Every word of the admin's English messages, less those Latin-script Kazakh shares."""
    english, kazakh = set(), set()
    for domain in build.DOMAINS:
        for source in build.SOURCES:
            for entry in build.english_entries(source, domain):
                english.update(w.lower() for w in LATIN_WORD.findall(entry.msgid))
        built = polib.pofile(str(BUILT / "kk_Latn" / "LC_MESSAGES" / f"{domain}.po"))
        for entry in built:
            kazakh.update(kazakh_words(entry.msgstr))
    ours = polib.pofile(str(settings.BASE_DIR / "locale" / "kk_Latn" / "LC_MESSAGES" / "django.po"))
    for entry in ours:
        english.update(w.lower() for w in LATIN_WORD.findall(entry.msgid))
        kazakh.update(kazakh_words(entry.msgstr))
    # The editions' own names ("Qazaqsha" in the language switcher) are names.
    names = {w.lower() for e in editions.EDITIONS for w in LATIN_WORD.findall(e.name_local)}
    return english - kazakh - names


def kazakh_words(text):
    """The words of a translation, without placeholders, markup and names kept as they are."""
    return {w.lower() for w in LATIN_WORD.findall(translit.PROTECTED.sub("", text))}


def wrong_words(code, texts, vocabulary):
    found = set()
    for text in texts:
        for word in LATIN_WORD.findall(text):
            if word in ALLOWED:
                continue
            if code in LATIN_SCREENS:
                if word.lower() in vocabulary:
                    found.add(f"English: {word}")
            else:
                found.add(f"Latin: {word}")
        if code not in CYRILLIC_SCREENS and CYRILLIC.search(text):
            found.add(f"Cyrillic: {text.strip()[:60]}")
    return found


def in_every_edition(field, kind):
    return {
        build_localized_fieldname(field, code): SAMPLE_WORDS[code][kind] for code in editions.CODES
    }


@pytest.fixture(scope="module")
def vocabulary():
    return english_vocabulary()


@pytest.fixture
def newsroom(client, code):
    """A chief editor working in the admin language `code`, and one article they
    saved twice (how the history reads in another language is
    tests/test_admin_history_language.py)."""
    # A superuser sees every model, Django's and the admin packages' included.
    chief = make_staff(CHIEF_EDITOR, USERNAME)
    chief.set_password(PASSWORD)
    chief.is_superuser = True
    chief.save()
    client.force_login(chief)
    category = make_category()
    tag, author = make_tag(), make_author()
    for subject, field, kind in ((category, "name", "category"), (tag, "name", "tag"),
                                 (author, "name", "author")):  # fmt: skip
        for name, text in in_every_edition(field, kind).items():
            setattr(subject, name, text)
        subject.save()
    texts = {
        **in_every_edition("title", "headline"),
        **in_every_edition("lead", "lead"),
        **{
            build_localized_fieldname("body", code): f"<p>{SAMPLE_WORDS[code]['body']}</p>"
            for code in editions.CODES
        },
    }
    data = article_form_data(category, **texts, tags=[tag.pk], authors=[author.pk])
    with translation.override(code):
        assert client.post(add_url(), data, follow=True).status_code == 200
        article = Article.objects.get()
        data[build_localized_fieldname("lead", "kk-arab")] = "جاڭا كىرىسپە"
        data[build_localized_fieldname("lead", "ru")] = "Новая вводка"
        assert client.post(change_url(article), data, follow=True).status_code == 200
    return article


def pages(article):
    newer, older = Version.objects.get_for_object(article)[:2]
    base = "admin:news_article"
    return {
        "index": ("admin:index", []),
        "list": (f"{base}_changelist", []),
        "add": (f"{base}_add", []),
        "change": (f"{base}_change", [article.pk]),
        "history": (f"{base}_history", [article.pk]),
        "compare": (f"{base}_compare", [article.pk], f"?old={older.pk}&new={newer.pk}"),
        "delete": (f"{base}_delete", [article.pk]),
        "password change": ("admin:password_change", []),
    }


def screens(client, code, article):
    with translation.override(code):
        for name, (url_name, args, *query) in pages(article).items():
            response = client.get(reverse(url_name, args=args) + "".join(query))
            assert response.status_code == 200, (name, response.status_code)
            yield name, response.content.decode()
        # The desk on the home page, showing another edition than the admin's own.
        client.get(reverse("admin:news_article_desk"), {"edition": "kk-arab"})
        yield "desk", client.get(reverse("admin:index")).content.decode()
        client.logout()
        login = reverse("admin:login")
        yield "sign-in", client.get(login).content.decode()
        yield (
            "sign-in error",
            client.post(login, {"username": USERNAME, "password": "wrong"}).content.decode(),
        )
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = client.post(login, {"username": USERNAME, "password": "wrong"})
        assert response.status_code == 429
        yield "lockout", response.content.decode()


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_admin_screen_is_in_the_admin_language_and_script(client, newsroom, vocabulary, code):
    problems = {}
    for name, html in screens(client, code, newsroom):
        assert f'<html lang="{editions.get(code).bcp47}"' in html, name
        if wrong := wrong_words(code, interface_text(html), vocabulary):
            problems[name] = sorted(wrong)
    assert problems == {}, "\n".join(f"{name}: {words}" for name, words in problems.items())


def test_the_check_finds_english_and_foreign_scripts(vocabulary):
    """The check itself: it must see what it is there to catch, and only that."""
    page = (
        '<html lang="kk-Latn"><body><h1>Maqalany özgertu</h1>'
        '<button title="Remove all items">x</button><p lang="kk">Қазақша</p>'
        '<textarea>Мәтін</textarea><input type="submit" value="Save"></body></html>'
    )
    assert wrong_words("kk-latn", interface_text(page), vocabulary) == {
        "English: Remove", "English: all", "English: items", "English: Save",
    }  # fmt: skip
    cyrillic_page = '<html lang="ru"><body><p>Изменение: статья <b>Change</b></p></body></html>'
    assert wrong_words("ru", interface_text(cyrillic_page), vocabulary) == {"Latin: Change"}
    arabic_page = '<html lang="kk-Arab"><body><p>ماقالا статья</p></body></html>'
    assert wrong_words("kk-arab", interface_text(arabic_page), vocabulary) == {
        "Cyrillic: ماقالا статья"
    }
