"""Fill an article's Latin and Arabic-script Kazakh editions from its Cyrillic Kazakh text.

The editor writes `kk` and presses one button; every translated field that is
still empty in `kk-latn` or `kk-arab` gets the transliteration of its `kk`
text. A field that already has text is never touched, so pressing the button
again after correcting the Latin or Arabic text by hand loses nothing.
"""

from django.utils.html import strip_tags
from modeltranslation.utils import build_localized_fieldname

from core import translit

# Submit button of the article form that asks for the filling.
BUTTON = "_transliterate_kk"
SOURCE = "kk"
TARGETS = {"kk-latn": translit.kk_cyrl_to_latn, "kk-arab": translit.kk_cyrl_to_arab}


def translated_fields():
    from modeltranslation.translator import translator

    from news.models import Article

    return translator.get_options_for_model(Article).fields


def is_empty(value):
    # The body editor posts "<p></p>" for an empty body: markup alone is no text.
    return not value or not strip_tags(value).strip()


def fill_from_cyrillic(values):
    """Fill the empty kk-latn / kk-arab entries of the mapping `values` from its kk entries.

    `values` maps modeltranslation field names (title_kk, body_kk_arab, …) to
    their text, as a form's cleaned_data does. Returns the names filled.
    """
    filled = []
    for name in translated_fields():
        source = values.get(build_localized_fieldname(name, SOURCE))
        if is_empty(source):
            continue
        for code, convert in TARGETS.items():
            target = build_localized_fieldname(name, code)
            if is_empty(values.get(target)):
                values[target] = convert(source)
                filled.append(target)
    return filled


def has_source(values):
    return any(
        not is_empty(values.get(build_localized_fieldname(name, SOURCE)))
        for name in translated_fields()
    )
