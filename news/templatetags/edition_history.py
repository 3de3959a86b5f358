"""History pages: a stored change message in the reader's language (news.admin_editions)."""

from django import template

from news.admin_editions import change_message as render

register = template.Library()


@register.filter
def change_message(message, opts):
    """`message` as stored (JSON or a plain English comment), for the model of `opts`."""
    return render(message, opts.model)
