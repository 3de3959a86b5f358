"""The seven editions of the portal, in the order of the reference switcher.

Everything that needs to know about editions (settings, the switcher, hreflang
links, search configurations) reads this table, so adding an edition is one line.
"""

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    code: str  # Django language code and URL prefix
    label: str  # what the switcher shows
    name_local: str
    name_en: str
    bcp47: str  # for lang and hreflang attributes
    bidi: bool = False
    # PostgreSQL text-search configuration; "simple" where PostgreSQL has none.
    search_config: str = "simple"


EDITIONS = (
    Edition("en", "En", "English", "English", "en", search_config="english"),
    Edition("ru", "ру", "Русский", "Russian", "ru", search_config="russian"),
    Edition("kk", "қз", "Қазақша", "Kazakh", "kk"),
    Edition("kk-latn", "qz", "Qazaqsha", "Kazakh (Latin)", "kk-Latn"),
    Edition("zh-hans", "中文", "中文", "Simplified Chinese", "zh-Hans"),
    Edition("kk-arab", "ق ز", "قازاقشا", "Kazakh (Arabic)", "kk-Arab", bidi=True),
    Edition("uz", "Ўз", "Ўзбекча", "Uzbek", "uz"),
)

BY_CODE = {edition.code: edition for edition in EDITIONS}
CODES = tuple(BY_CODE)
DEFAULT = "en"


def bit(code):
    """The edition's bit in a set of editions kept as an integer (news.models.edition_bits):
    its place in CODES, so that adding an edition at the end keeps the others' bits."""
    return 1 << CODES.index(code)


@functools.cache
def codes_in(bits):
    """The codes of the editions whose bits are set in `bits`, in CODES' order."""
    return tuple(code for code in CODES if bits & bit(code))


def get(code):
    """The edition for a language code, the default edition for anything unknown."""
    return BY_CODE.get(code) or BY_CODE[DEFAULT]


def field_label(verbose_name, code):
    """A translated field's label, "Title [Kazakh (Latin)]", in the admin's language.

    modeltranslation (MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME) calls this
    lazily, so the edition is named in whatever language the label is shown in;
    its default, "Title [kk-latn]", would put Latin letters in every Cyrillic admin.
    """
    from django.utils.translation import gettext

    return f"{verbose_name} [{gettext(get(code).name_en)}]"
