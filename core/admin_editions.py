"""Translated admin fields that say which edition they hold: its BCP 47 `lang` and
its `dir`, whatever the admin's own language (modeltranslation takes the direction
from the admin's language, which cannot tell kk-arab from kk).

A mixin for any modeltranslation admin or inline, in core so that every app's
admin (news, live, multimedia, widgets) can use it.
"""

from core import editions


def edition_attrs(code):
    edition = editions.BY_CODE[code]
    return {
        "lang": edition.bcp47,
        "dir": "rtl" if edition.bidi else "ltr",
        "data-edition-label": edition.label,
        "data-edition-name": edition.name_local,
    }


class EditionFieldsMixin:
    """For TabbedTranslationAdmin and modeltranslation's inlines."""

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        code = getattr(db_field, "language", None)
        if code not in editions.BY_CODE or field is None:
            return
        widget = self._get_widget_from_field(field)
        # modeltranslation wraps optional inputs in a "clear" checkbox wrapper; the
        # input it renders is the inner widget.
        for part in (widget, getattr(widget, "widget", None)):
            if part is not None and hasattr(part, "attrs"):
                part.attrs.update(edition_attrs(code))
