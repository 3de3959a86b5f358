"""Every message of the admin is translated in every edition language, in the right script."""

import html
import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from core import editions, translit
from core.management.commands import build_admin_catalogs as build
from tests.builders import make_article

LANGUAGES = [e.code for e in editions.EDITIONS if e.code != editions.DEFAULT]
ADMIN_LOCALE = str(build.Source("django.contrib.admin").locale_dir())
CATALOGS = Path(settings.BASE_DIR) / "locale" / "django"

# Messages that are rightly the same in a translation: punctuation, acronyms,
# format names and pure placeholders.
SAME_IN_EVERY_LANGUAGE = {
    ":",
    ":?.!",
    "…",
    "%(truncated_text)s…",
    "%(class_name)s %(instance)s",
    "IPv4",
    "IPv6",
    "URL",
    "DATETIME_FORMAT",
    ", ",
    "%s KB",
    "%s MB",
    "%s GB",
    "%s TB",
    "%s PB",
}
# Names that Latin-script Kazakh writes as English does.
SAME_IN = {
    "kk-latn": {
        "Afrikaans", "Breton", "Esperanto", "Hindi", "Khmer", "Marathi", "Slovak", "Tamil",
        "Telugu", "Udmurt", "Urdu", "one letter Saturday: S",
    },
}  # fmt: skip


def english(domain):
    return [
        entry
        for source in build.SOURCES
        for entry in build.english_entries(source, domain)
        if entry.msgid not in SAME_IN_EVERY_LANGUAGE
    ]


def untranslated(entries, gettext, pgettext, ngettext):
    missing = []
    for entry in entries:
        if entry.msgid_plural:
            forms = [(ngettext(entry.msgid, entry.msgid_plural, n), n) for n in (1, 5)]
            if any(text in (entry.msgid, entry.msgid_plural) for text, _ in forms):
                missing.append(entry.msgid)
        elif entry.msgctxt:
            if pgettext(entry.msgctxt, entry.msgid) == entry.msgid:
                missing.append(f"{entry.msgctxt}: {entry.msgid}")
        elif gettext(entry.msgid) == entry.msgid:
            missing.append(entry.msgid)
    return missing


def pgettext_with_plural(translation_object):
    def ngettext(singular, plural, number):
        return translation_object.ngettext(singular, plural, number)

    return ngettext


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_server_side_admin_message_is_translated(code):
    with translation.override(code):
        missing = untranslated(
            english("django"), translation.gettext, translation.pgettext, translation.ngettext
        )
    assert set(missing) <= SAME_IN.get(code, set()), missing


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_javascript_admin_message_is_translated(code):
    # What the admin's jsi18n view loads: the admin package plus LOCALE_PATHS.
    catalog = DjangoTranslation(code, domain="djangojs", localedirs=[ADMIN_LOCALE])
    missing = untranslated(english("djangojs"), catalog.gettext, catalog.pgettext, catalog.ngettext)
    assert set(missing) <= SAME_IN.get(code, set()), missing


def texts(language):
    for domain in build.DOMAINS:
        for entry in polib.pofile(str(CATALOGS / language / "LC_MESSAGES" / f"{domain}.po")):
            yield from [entry.msgstr, *entry.msgstr_plural.values()]


def letters_outside_markup(text):
    return translit.PROTECTED.sub("", html.unescape(text))


@pytest.mark.parametrize(
    ("language", "foreign", "script"),
    [
        ("kk_Latn", r"[\u0400-\u04ff]", "Cyrillic"),
        ("kk_Arab", r"[A-Za-z\u0400-\u04ff]", "Latin or Cyrillic"),
        ("uz", r"[A-Za-z]", "Latin"),
        ("kk", r"[A-Za-z]", "Latin"),
    ],
)
def test_catalogs_are_written_in_their_own_script(language, foreign, script):
    wrong = [t for t in texts(language) if re.search(foreign, letters_outside_markup(t))]
    assert wrong == [], f"{language} has {script} letters"


PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|%[sd]|\{[a-z_0-9]*\}|<[^>]+>")


@pytest.mark.parametrize("language", ["kk", "kk_Latn", "kk_Arab", "uz", "ru", "zh_Hans"])
def test_translations_keep_every_placeholder_and_tag(language):
    for domain in build.DOMAINS:
        for entry in polib.pofile(str(CATALOGS / language / "LC_MESSAGES" / f"{domain}.po")):
            wanted = sorted(set(PLACEHOLDER.findall(entry.msgid)))
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if not entry.msgid_plural:
                    assert sorted(set(PLACEHOLDER.findall(text))) == wanted, entry.msgid


def test_generated_catalogs_are_up_to_date(tmp_path, monkeypatch):
    """Rebuilding from Django's catalogs and completions/ gives the committed files."""
    monkeypatch.setattr(build, "OUTPUT", tmp_path)
    build.Command(stdout=io.StringIO()).handle()
    for po in sorted(tmp_path.glob("*/LC_MESSAGES/*.po")):
        committed = CATALOGS / po.relative_to(tmp_path)
        assert po.read_text() == committed.read_text(), committed


# --- What an editor sees -------------------------------------------------------

ENGLISH_WORDS = [
    "Save",
    "Delete",
    "History",
    "Log out",
    "Add",
    "Change password",
    "Filter",
    "Search",
]


def visible_text(page):
    """The page's text without scripts, styles, tags and their attributes."""
    text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_admin_pages_show_no_english(client, code):
    editor = User.objects.create_superuser("chief", password="a long editor password")
    article = make_article(codes=("en", "kk"))
    client.force_login(editor)
    admin = f"/{code}/admin/"
    pages = [
        admin,
        f"{admin}news/article/",
        f"{admin}news/article/{article.pk}/change/",
        f"{admin}news/article/{article.pk}/history/",
        f"{admin}password_change/",
    ]
    responses = {path: client.get(path) for path in pages}
    client.logout()
    responses[f"{admin}login/"] = client.get(f"{admin}login/")
    for path, response in responses.items():
        assert response.status_code == 200, path
        page = response.content.decode()
        text = visible_text(page)
        found = [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", text)]
        assert found == [], f"{path} shows {found}"
        if editions.get(code).bidi:
            assert 'dir="rtl"' in re.search(r"<html [^>]*>", page).group()
