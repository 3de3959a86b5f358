"""Text folded for case-insensitive matching in every script the portal writes.

SQLite's LIKE and lower() fold ASCII letters only, and PostgreSQL's lower()
depends on the database's locale, so "Медиафорум" and "медиафорум" differ to
both. The admin therefore searches a column of text folded here, in Python,
on save (news.models.EditionContent.admin_search), with the search term
folded the same way.

- NFKC first and last: full-width Latin (Ｋａｚ) and decomposed accents
  match their usual forms;
- str.casefold: the Unicode full case folding (ß -> ss, Σ/ς -> σ), for
  Cyrillic, Greek, Latin alike;
- the Turkic i: Kazakh Latin writes İ for i and I for ı, so casefolding
  (İ -> i̇, I -> i, ı stays) would not match a word with its capitals; both
  dotted and dotless i fold to i.
"""

import unicodedata


def fold(text):
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return folded.replace("i\u0307", "i").replace("ı", "i")
