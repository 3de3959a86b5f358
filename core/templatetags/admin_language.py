"""The admin in the editor's language: the language switcher and the page direction.

Django's get_language_bidi() looks only at the part of the code before the
hyphen, so it reads kk-arab as kk (left-to-right), and the admin writes the
Django code (kk-arab) into <html lang>. These tags answer from the edition
table instead; templates/admin/base.html uses them in place of Django's.
"""

from django import template
from django.urls import get_script_prefix
from django.utils import translation

from core import editions

register = template.Library()


def current_edition():
    return editions.get(translation.get_language())


@register.simple_tag
def edition_bidi():
    return current_edition().bidi


@register.simple_tag
def edition_bcp47():
    return current_edition().bcp47


def unprefixed(request):
    """The request's path and query without its edition prefix: /kk/admin/ -> /admin/.

    set_language can only translate `next` when the language it runs in is the
    page's, which the cookie or Accept-Language need not say; an unprefixed
    path is sent by LocaleMiddleware to the newly chosen edition instead.
    """
    full_path = request.get_full_path()
    code = translation.get_language_from_path(request.path_info)
    prefix = f"{get_script_prefix()}{code}/"
    if code and full_path.startswith(prefix):
        return get_script_prefix() + full_path[len(prefix) :]
    return full_path


@register.inclusion_tag("admin/includes/language_switcher.html", takes_context=True)
def admin_language_switcher(context):
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "editions": editions.EDITIONS,
        "current": current_edition(),
        "next": unprefixed(request),
    }
