"""The admin's translated fields, each in its own edition's language and direction.

modeltranslation's tabs know only language codes and take the direction from
Django's get_language_bidi(), which cannot tell kk-arab from kk and follows the
*admin's* language. An editor writing Arabic-script Kazakh in the English admin,
or English in the Arabic-script admin, needs the field itself to say what it
holds: every translated widget gets its edition's BCP 47 `lang` and `dir`, and
the edition's switcher label and own name for the tab (news/edition-fields.js).
"""

from modeltranslation.admin import TabbedTranslationAdmin

from core import editions


def edition_attrs(code):
    edition = editions.BY_CODE[code]
    return {
        "lang": edition.bcp47,
        "dir": "rtl" if edition.bidi else "ltr",
        "data-edition-label": edition.label,
        "data-edition-name": edition.name_local,
    }


class EditionTranslationAdmin(TabbedTranslationAdmin):
    """TabbedTranslationAdmin whose fields carry their edition's language and direction."""

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

    class Media:
        js = ("news/edition-fields.js",)
