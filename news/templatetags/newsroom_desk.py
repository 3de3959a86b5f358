"""The desk on the admin home page (templates/admin/index.html)."""

from django import template

from core import editions
from news import desk

register = template.Library()


@register.inclusion_tag("admin/news/desk.html", takes_context=True)
def newsroom_desk(context):
    request = context["request"]
    if not request.user.has_perm("news.view_article"):
        return {"shown": False}
    code = desk.chosen_edition(request)
    edition = editions.get(code)
    return {
        "shown": True,
        "edition": edition,
        "editions": editions.EDITIONS,
        "boxes": desk.boxes(request, code),
    }
