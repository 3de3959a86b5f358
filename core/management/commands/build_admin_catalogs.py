"""Build complete admin catalogs for the editions' languages into locale/django/.

Django's own Kazakh and Uzbek catalogs are incomplete, its Uzbek is written in
Latin script (our Uzbek edition is Cyrillic), and it has nothing for Kazakh in
Latin or Arabic script. Every msgid of the catalogs an editor meets (Django's
core, admin, auth and contenttypes, and the installed admin packages) is
translated here from, in order:

1. our own translations in locale/django/completions/<lang>/<domain>.po;
2. the package's own catalog for the language (Uzbek converted to Cyrillic);

and kk_Latn / kk_Arab are transliterated from the finished Kazakh catalog, so
they are exactly as complete as it is. The command fails, naming them, when a
msgid has no translation; `--skeleton` adds such msgids to the completions
files with an empty msgstr for a translator to fill.
"""

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import translit

OUTPUT = Path(settings.BASE_DIR) / "locale" / "django"
COMPLETIONS = OUTPUT / "completions"
DOMAINS = ("django", "djangojs")


@dataclass(frozen=True)
class Source:
    package: str  # importable package holding a locale/ folder; "" for `locale` itself
    locale: str = "locale"  # folder inside the package, or relative to BASE_DIR
    msgids_from: str = "en"  # catalog listing every msgid; "*" for the union of all

    def locale_dir(self):
        if not self.package:
            return Path(settings.BASE_DIR) / self.locale
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            return None
        return Path(next(iter(spec.submodule_search_locations))) / self.locale


SOURCES = (
    Source("django", "conf/locale"),
    Source("django.contrib.admin"),
    Source("django.contrib.auth"),
    Source("django.contrib.contenttypes"),
    # Admin packages without an English catalog: their msgids are the union of
    # all their translations.
    Source("reversion", msgids_from="*"),
    Source("django_prose_editor", msgids_from="*"),
    # Sign-in attempts and lockouts, which a superuser browses in the admin.
    Source("axes", msgids_from="*"),
    # What admin packages show in English without asking gettext (the rich-text
    # editor's toolbar and block menu): news/static/news/edition-fields.js
    # translates it through the admin's JavaScript catalog.
    Source("", "locale/django/untranslated"),
)

# Languages translated from completions and the package catalogs; the function
# converts the package catalog's text into our script.
BASE_LANGUAGES = {
    "kk": None,
    "uz": translit.uz_latn_to_cyrl,
    "ru": None,
    "zh_Hans": None,
}
DERIVED_LANGUAGES = {
    "kk_Latn": ("kk", translit.kk_cyrl_to_latn),
    "kk_Arab": ("kk", translit.kk_cyrl_to_arab),
}


def key(entry):
    return (entry.msgctxt, entry.msgid)


def read(path):
    try:
        return polib.pofile(str(path)) if path.is_file() else None
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error


def translated(catalog):
    if catalog is None:
        return {}
    return {key(e): e for e in catalog if e.msgid and e.translated() and not e.obsolete}


def english_entries(source, domain):
    """Every msgid the package can show in `domain`, in a stable order."""
    root = source.locale_dir()
    if root is None or not root.is_dir():
        return []
    if source.msgids_from == "*":
        paths = sorted(root.glob(f"*/LC_MESSAGES/{domain}.po"))
    else:
        paths = [root / source.msgids_from / "LC_MESSAGES" / f"{domain}.po"]
    entries = {}
    for path in paths:
        for entry in read(path) or ():
            if entry.msgid and not entry.obsolete:
                entries.setdefault(key(entry), entry)
    return list(entries.values())


def nplurals(header):
    for part in header.get("Plural-Forms", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "nplurals":
            return int(value)
    return 2


def strings(entry, count):
    """An entry's translation(s) as a tuple of `count` strings (one if not plural)."""
    if not entry.msgid_plural:
        return (entry.msgstr,)
    forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] or [entry.msgstr]
    return tuple(forms[min(i, len(forms) - 1)] for i in range(count))


def make_entry(english, texts):
    entry = polib.POEntry(msgid=english.msgid, msgctxt=english.msgctxt, flags=[])
    if english.msgid_plural:
        entry.msgid_plural = english.msgid_plural
        entry.msgstr_plural = dict(enumerate(texts))
        entry.msgstr = ""
    else:
        entry.msgstr = texts[0]
    if "python-format" in english.flags or "python-brace-format" in english.flags:
        entry.flags = [f for f in english.flags if f.endswith("format")]
    return entry


def new_catalog(language, plural_forms):
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": "portal admin catalogs",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    }
    catalog.header = (
        "Generated by `manage.py build_admin_catalogs` from Django's and the admin\n"
        "packages' catalogs and locale/django/completions/: edit those, not this file."
    )
    return catalog


class Command(BaseCommand):
    help = "Build complete admin catalogs for every edition language into locale/django/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skeleton",
            action="store_true",
            help="add untranslated msgids to the completions files instead of failing",
        )

    def handle(self, *args, skeleton=False, **options):
        built = {}
        missing = []
        for language, convert in BASE_LANGUAGES.items():
            for domain in DOMAINS:
                catalog, gaps = self.build(language, domain, convert)
                built[(language, domain)] = catalog
                missing += [(language, domain, entry) for entry in gaps]
        if missing and skeleton:
            self.write_skeleton(missing)
            raise CommandError(f"{len(missing)} msgids need a translation in completions/.")
        if missing:
            lines = [f"{lang} {domain}: {entry.msgid!r}" for lang, domain, entry in missing]
            raise CommandError(
                f"{len(missing)} msgids have no translation (run with --skeleton to list "
                "them in locale/django/completions/):\n" + "\n".join(lines)
            )
        for (base, domain), catalog in list(built.items()):
            for language, (source, convert) in DERIVED_LANGUAGES.items():
                if base == source:
                    built[(language, domain)] = self.derive(catalog, language, convert)
        for (language, domain), catalog in sorted(built.items()):
            path = OUTPUT / language / "LC_MESSAGES" / f"{domain}.po"
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog.save(str(path))
            self.stdout.write(f"{path}: {len(catalog)} messages")

    def build(self, language, domain, convert):
        ours = translated(read(COMPLETIONS / language / "LC_MESSAGES" / f"{domain}.po"))
        django_core = read(Path(SOURCES[0].locale_dir()) / language / "LC_MESSAGES" / "django.po")
        count = nplurals(django_core.metadata if django_core else {})
        catalog = new_catalog(language, django_core.metadata["Plural-Forms"])
        gaps = []
        seen = set()
        for source in SOURCES:
            english = english_entries(source, domain)
            if not english:
                continue
            root = source.locale_dir()
            theirs = translated(read(root / language / "LC_MESSAGES" / f"{domain}.po"))
            for entry in english:
                if key(entry) in seen:
                    continue
                seen.add(key(entry))
                if key(entry) in ours:
                    texts = strings(ours[key(entry)], count)
                elif key(entry) in theirs:
                    texts = strings(theirs[key(entry)], count)
                    if convert:
                        texts = tuple(convert(text) for text in texts)
                else:
                    gaps.append(entry)
                    continue
                catalog.append(make_entry(entry, texts))
        return catalog, gaps

    def derive(self, catalog, language, convert):
        derived = new_catalog(language, catalog.metadata["Plural-Forms"])
        for entry in catalog:
            texts = strings(entry, len(entry.msgstr_plural) or 1)
            derived.append(make_entry(entry, tuple(convert(text) for text in texts)))
        return derived

    def write_skeleton(self, missing):
        by_file = {}
        for language, domain, entry in missing:
            by_file.setdefault((language, domain), []).append(entry)
        for (language, domain), entries in by_file.items():
            path = COMPLETIONS / language / "LC_MESSAGES" / f"{domain}.po"
            catalog = read(path)
            if catalog is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                core = read(Path(SOURCES[0].locale_dir()) / language / "LC_MESSAGES" / "django.po")
                catalog = new_catalog(language, core.metadata["Plural-Forms"])
                catalog.header = (
                    "Our translations of the msgids that Django's and the admin packages'\n"
                    "catalogs lack for this language; `manage.py build_admin_catalogs` reads them."
                )
            known = {key(e) for e in catalog}
            for entry in entries:
                if key(entry) not in known:
                    blank = make_entry(entry, ("",) * (2 if entry.msgid_plural else 1))
                    catalog.append(blank)
            catalog.save(str(path))
            self.stderr.write(f"{path.relative_to(settings.BASE_DIR)}: {len(entries)} to translate")
