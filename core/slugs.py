"""Slugs (the Latin part of an address) from a title or name, in Python and in the browser.

One set of rules, `RULES`, used here on the server and sent as JSON to the
admin's script (news/static/news/slug.js), which fills the slug as the editor
types: both apply the same steps, so a slug made in the browser is the slug
the server would make.

1. Pick the source: the first edition in `SOURCE_ORDER` with text. Cyrillic
   editions come first, because their transliteration is the reader's word
   for the news (Kazakh, the state language, before Russian and Uzbek); the
   English and Latin Kazakh texts are used only where there is no Cyrillic one.
2. Lower-case the text and replace each letter by its Latin letters from the
   edition's table: Kazakh by the project's own 2021 Latin alphabet
   (core.translit.KK_LATN), Russian by ICAO Doc 9303 (the Latin of Russian
   passports), Uzbek by the official Uzbek Latin alphabet; then each
   character of the result by `COMMON` (Kazakh ı becomes i there).
3. Drop accents (NFKD without combining marks: ä -> a, ğ -> g, ñ -> n).
4. Every run of anything but a-z and 0-9 becomes one hyphen; trim hyphens;
   cut at the last hyphen that keeps the slug within the field's length.
"""

import re
import unicodedata

from core import translit

SOURCE_ORDER = ("kk", "ru", "uz", "en", "kk-latn")

RU_LATN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip

# The apostrophes of oʻ and gʻ are dropped: in an address they would split the word.
UZ_LATN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "j", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "o",
    "ф": "f", "х": "x", "ҳ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "ъ": "", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

# Latin letters that have no accent to drop, ş and ç, whose bare s and c would read as
# other sounds (Kazakh ашылды is aşyldy, so ashyldy), and apostrophes (don't, Oʻzbek).
COMMON = {
    "ı": "i", "ş": "sh", "ç": "ch", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d",
    "ł": "l", "þ": "th", "ð": "d", "'": "", "’": "", "‘": "", "ʻ": "", "ʼ": "", "`": "",
}  # fmt: skip

RULES = {
    "order": list(SOURCE_ORDER),
    "letters": {"kk": dict(translit.KK_LATN), "ru": RU_LATN, "uz": UZ_LATN},
    "common": COMMON,
}

NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text, code, max_length=None):
    """The slug of `text` written in edition `code`; "" when nothing of it is Latin-able."""
    table = RULES["letters"].get(code, {})
    latin = "".join(table.get(char, char) for char in (text or "").lower())
    latin = "".join(COMMON.get(char, char) for char in latin)
    bare = "".join(
        char
        for char in unicodedata.normalize("NFKD", latin)
        if not unicodedata.category(char).startswith("M")
    )
    slug = NOT_SLUG.sub("-", bare).strip("-")
    if max_length and len(slug) > max_length:
        cut = slug[:max_length]
        if slug[max_length] != "-" and "-" in cut:
            cut = cut[: cut.rindex("-")]
        slug = cut.strip("-")
    return slug


def slug_from(texts, max_length=None):
    """The slug of the first edition in SOURCE_ORDER whose text gives one.

    `texts` maps edition codes to the title (or name) in that edition.
    """
    for code in SOURCE_ORDER:
        if slug := slugify(texts.get(code), code, max_length):
            return slug
    return ""


def free_variant(slug, taken, max_length=None):
    """`slug` with the smallest -2, -3, … suffix for which `taken(candidate)` is false."""
    number = 2
    while True:
        suffix = f"-{number}"
        stem = slug[: max_length - len(suffix)] if max_length else slug
        candidate = stem.rstrip("-") + suffix
        if not taken(candidate):
            return candidate
        number += 1
