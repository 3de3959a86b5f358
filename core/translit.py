"""Transliteration between the scripts the portal publishes in.

Pure, table-driven functions:

- `kk_cyrl_to_latn`: Kazakh Cyrillic to the official Latin alphabet of 2021
  (ä ğ ñ ö ū ü, y for ы, ı for і, i for и and й, ş for ш; the alphabet has no
  letter for ц, which it writes s: станция -> stansiia);
- `kk_cyrl_to_arab`: Kazakh Cyrillic to the Arabic-script orthography (tote
  jazu) used by Kazakhs in China and abroad, with the hamza rule: a word whose
  vowels are all front (ә ө ү і) and which has no е, к or г (letters that
  already mark it as front) is written with ٴ (high hamza) before it; a word
  with a back vowel or with қ or ғ (compounds and loans such as баспасөз,
  Төрағасы, транзит) is read as back and gets none. Every letter is written,
  и before я included (компания -> كومپانييا), and ц is تس;
- `uz_latn_to_cyrl`: Uzbek Latin to Uzbek Cyrillic.

Placeholders (`%(name)s`, `%s`, `{0}`, `{name}`), HTML tags and entities, URLs
and Latin technical acronyms (URL, JSON, IPv6) are never touched, so the
functions can be run over gettext catalogs.
"""

import re

# Things that must survive transliteration byte for byte.
PROTECTED = re.compile(
    r"""
    [\[\]]*(?:YYYY|HH|DD)[\w:.\[\]-]*            # YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]
    | %\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]   # %(name)s, %(num)d
    | %[-#0 +]*\d*(?:\.\d+)?[sdifrxX%]         # %s, %d, %%
    | \{[A-Za-z0-9_.]*\}                       # {0}, {name}, {}
    | <[^<>]+>                                 # HTML tags
    | &(?:[a-zA-Z]+|\#\d+|\#x[0-9a-fA-F]+);    # HTML entities
    | https?://[^\s"'<>]+                      # URLs
    | \b(?:[A-Z][A-Z0-9]*[A-Z][A-Za-z0-9]*|IPv\d|Django|a-z|A-Z)\b  # URL, JSON, IPv6, DEBUG
    | \b[A-Za-z_]+(?:\.[A-Za-z_]+)*\(\)        # get_absolute_url()
    | \b[A-Za-z]+_[A-Za-z_]+\b                 # allow_empty, field names
    | \b(?:True|False|None|null|ManagementForm|Referrer-Policy|no-referrer|Referer
         |same-origin|cookie|last|Control|Command|Mac|python)\b  # names to type or to read as is
    """,
    re.VERBOSE,
)


def _segments(text):
    """Split text into (is_protected, chunk) pairs."""
    position = 0
    for match in PROTECTED.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, match.group()
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def _apply(text, convert):
    return "".join(chunk if protected else convert(chunk) for protected, chunk in _segments(text))


def _case_like(source, target, following):
    """Give `target` the case of the Cyrillic letter `source` (Ш -> Ş, Ю -> Iu or IU)."""
    if not source.isupper():
        return target
    if len(target) > 1 and not (following.isalpha() and following.islower()):
        return target.upper()
    return target[0].upper() + target[1:]


# --- Kazakh: Cyrillic to Latin (2021) and to Arabic script ------------------

# Each Kazakh Cyrillic letter in the Latin alphabet of 2021 and in the Arabic script (töte jazu).
KK_LETTERS = {
    "а": ("a", "ا"), "ә": ("ä", "ا"), "б": ("b", "ب"), "в": ("v", "ۆ"),
    "г": ("g", "گ"), "ғ": ("ğ", "ع"), "д": ("d", "د"), "е": ("e", "ە"),
    "ё": ("io", "يو"), "ж": ("j", "ج"), "з": ("z", "ز"), "и": ("i", "ي"),
    "й": ("i", "ي"), "к": ("k", "ك"), "қ": ("q", "ق"), "л": ("l", "ل"),
    "м": ("m", "م"), "н": ("n", "ن"), "ң": ("ñ", "ڭ"), "о": ("o", "و"),
    "ө": ("ö", "و"), "п": ("p", "پ"), "р": ("r", "ر"), "с": ("s", "س"),
    "т": ("t", "ت"), "у": ("u", "ۋ"), "ұ": ("ū", "ۇ"), "ү": ("ü", "ۇ"),
    "ф": ("f", "ف"), "х": ("h", "ح"), "һ": ("h", "ھ"), "ц": ("s", "تس"),
    "ч": ("ch", "چ"), "ш": ("ş", "ش"), "щ": ("şş", "ش"), "ъ": ("", ""),
    "ы": ("y", "ى"), "і": ("ı", "ى"), "ь": ("", ""), "э": ("e", "ە"),
    "ю": ("iu", "يۋ"), "я": ("ia", "يا"),
}  # fmt: skip
KK_LATN = {cyrillic: latin for cyrillic, (latin, _arabic) in KK_LETTERS.items()}
KK_ARAB = {cyrillic: arabic for cyrillic, (_latin, arabic) in KK_LETTERS.items()}
# Capitals whose Latin form is not simply .upper() of the small letter.
KK_LATN_UPPER = {"И": "İ", "Й": "İ", "І": "I"}


def _kk_latn(chunk):
    out = []
    for index, char in enumerate(chunk):
        small = char.lower()
        if small not in KK_LATN:
            out.append(char)
        elif char in KK_LATN_UPPER:
            out.append(KK_LATN_UPPER[char])
        else:
            following = chunk[index + 1] if index + 1 < len(chunk) else ""
            out.append(_case_like(char, KK_LATN[small], following))
    return "".join(out)


def kk_cyrl_to_latn(text):
    return _apply(text, _kk_latn)


# --- Kazakh: Cyrillic to Arabic script (tote jazu) --------------------------

HAMZA = "\u0674"  # ٴ ARABIC LETTER HIGH HAMZA
FRONT_VOWELS = set("әөүі")
FRONT_MARKERS = set("екгэ")  # a word with these is read as front without the hamza
BACK_MARKERS = set("аоұыяёғқ")  # a word with these is read as back: no hamza
ARAB_PUNCTUATION = {",": "،", ";": "؛", "?": "؟"}
CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһі]+", re.IGNORECASE)


def _kk_arab_word(match):
    word = match.group().lower()
    letters = "".join(KK_ARAB[char] for char in word)
    if FRONT_VOWELS & set(word) and not (FRONT_MARKERS | BACK_MARKERS) & set(word):
        letters = HAMZA + letters
    return letters


def _kk_arab(chunk):
    chunk = CYRILLIC_WORD.sub(_kk_arab_word, chunk)
    # Arabic punctuation, but not the comma of a number such as 1,5.
    return re.sub(
        r"[,;?]",
        lambda m: (
            m.group()
            if m.group() == ","
            and m.start() > 0
            and chunk[m.start() - 1].isdigit()
            and chunk[m.start() + 1 : m.start() + 2].isdigit()
            else ARAB_PUNCTUATION[m.group()]
        ),
        chunk,
    )


def kk_cyrl_to_arab(text):
    return _apply(text, _kk_arab)


# --- Uzbek: Latin to Cyrillic ----------------------------------------------

APOSTROPHES = "ʻʼ'‘’`"
UZ_DIGRAPHS = {
    "yo'": "йў", "yoʻ": "йў", "yo‘": "йў", "yo’": "йў",
    "o'": "ў", "oʻ": "ў", "o‘": "ў", "o’": "ў", "o`": "ў",
    "g'": "ғ", "gʻ": "ғ", "g‘": "ғ", "g’": "ғ", "g`": "ғ",
    "sh": "ш", "ch": "ч", "yo": "ё", "yu": "ю", "ya": "я", "ye": "е",
}  # fmt: skip
UZ_LETTERS = {
    "a": "а", "b": "б", "c": "с", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ",
    "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "қ", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "х",
    "y": "й", "z": "з",
}  # fmt: skip
UZ_VOWELS = set("aeiouаеиоуўэ")
# Loanwords that Uzbek Cyrillic spells as Russian does.
UZ_LOANWORDS = {
    "sentabr": "сентябр", "oktabr": "октябр",
    "funksiya": "функция", "aksiya": "акция", "versiya": "версия",
}  # fmt: skip
UZ_WORD = re.compile(r"[A-Za-z" + APOSTROPHES + r"]+")


def _uz_word(match):
    word = match.group()
    small = word.lower()
    for stem, cyrillic in UZ_LOANWORDS.items():
        if small.startswith(stem):
            rest = _uz_letters(word[len(stem) :], previous=stem[-1])
            head = cyrillic.capitalize() if word[0].isupper() else cyrillic
            return head + rest
    return _uz_letters(word)


def _uz_letters(word, previous=""):
    out = []
    index = 0
    while index < len(word):
        for size in (3, 2):
            piece = word[index : index + size]
            cyrillic = UZ_DIGRAPHS.get(piece.lower())
            # A plain quote after o/g is an apostrophe only inside a word.
            if cyrillic and piece[-1] in "'`" and index + size >= len(word):
                cyrillic = None
            if cyrillic:
                break
        else:
            piece = word[index]
            small = piece.lower()
            if small in APOSTROPHES:
                inside = 0 < index < len(word) - 1
                cyrillic = "ъ" if inside else piece
            elif small == "e" and (index == 0 and not previous or previous in UZ_VOWELS):
                cyrillic = "э"
            else:
                cyrillic = UZ_LETTERS.get(small, piece)
        following = word[index + len(piece) : index + len(piece) + 1]
        out.append(_case_like(piece[0], cyrillic, following) if piece[0].isupper() else cyrillic)
        previous = piece[-1].lower()
        index += len(piece)
    return "".join(out)


def uz_latn_to_cyrl(text):
    return _apply(text, lambda chunk: UZ_WORD.sub(_uz_word, chunk))
