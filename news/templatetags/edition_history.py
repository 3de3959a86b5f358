"""History pages and the admin home's recent actions in the reader's language
(news.admin_editions)."""

from collections import defaultdict

from django import template
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError

from news.admin_editions import change_message as render

register = template.Library()


@register.filter
def change_message(message, opts):
    """`message` as stored (JSON or a plain English comment), for the model of `opts`."""
    return render(message, opts.model)


@register.simple_tag
def recent_actions(user, limit=10):
    """The user's last `limit` admin log entries, as Django's get_admin_log gives them, each
    with `title`: the object's name in the active language while it exists (object_repr
    keeps the saver's), else the stored one. One query per content type, not per row."""
    entries = list(
        LogEntry.objects.filter(user__pk=user.pk).select_related("content_type", "user")[:limit]
    )
    wanted = defaultdict(set)
    for entry in entries:
        if entry.content_type_id and not entry.is_deletion():
            wanted[entry.content_type].add(entry.object_id)
    found = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is None:
            continue
        keys = {}
        for object_id in ids:
            try:
                keys[model._meta.pk.to_python(object_id)] = object_id
            except ValidationError:
                continue
        for key, obj in model._base_manager.in_bulk(list(keys)).items():
            found[content_type.pk, keys[key]] = obj
    for entry in entries:
        obj = found.get((entry.content_type_id, entry.object_id))
        entry.title = (str(obj) if obj is not None else "") or entry.object_repr
    return entries
