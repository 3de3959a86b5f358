"""Django's i18n tags, where `{% translate "…" %}` of a fixed text is worked out once
per worker, edition and escaping.

Loaded as `{% load i18n %}` (TEMPLATES' "libraries" in portal/settings.py), so the
templates and `makemessages` see Django's tags. A page has 15 to 30 of them, and
Django's node builds a lazy translation, resolves it and escapes it at every render:
7 µs each, against 0.2 µs for the text it gives (docs/benchmark.md, "eighth round").
Only a fixed text with a fixed context is kept: `{% translate variable %}`, filters and
`as` render as Django's. The catalogs are read once per worker anyway; tests that
change LANGUAGES or LOCALE_PATHS forget what was kept, as Django forgets its catalogs.
"""

import itertools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library
from django.templatetags import i18n as django_i18n
from django.utils import translation

register = Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

# Part of every kept text's key: a new one when the catalogs may have changed.
_catalogs = itertools.count()
_current_catalogs = next(_catalogs)


@receiver(setting_changed)
def _forget_on_new_catalogs(setting, **kwargs):
    global _current_catalogs
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _current_catalogs = next(_catalogs)


class KeptTranslateNode(django_i18n.TranslateNode):
    """A TranslateNode of a fixed text, remembering what it rendered per edition."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = {}

    def render(self, context):
        key = (translation.get_language(), context.autoescape, _current_catalogs)
        try:
            return self.kept[key]
        except KeyError:
            value = self.kept[key] = super().render(context)
            return value


def _is_fixed(node):
    expression = node.filter_expression
    fixed_context = node.message_context is None or (
        node.message_context.is_var is False and not node.message_context.filters
    )
    return (
        node.asvar is None
        and not expression.filters
        and expression.var.literal is not None
        and fixed_context
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    if not _is_fixed(node):
        return node
    return KeptTranslateNode(
        node.filter_expression, node.noop, message_context=node.message_context
    )
