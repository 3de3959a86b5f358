"""Admin change forms as two editors' browsers see and post them, for the merge tests."""

import html
import re

from django import forms
from django.contrib.auth.models import User
from django.test import Client

from tests.admin_helpers import CHIEF_EDITOR, make_staff


def signed_in(first_name, group=CHIEF_EDITOR):
    """A client signed in as a staff user called `first_name` (shown in conflict notes)."""
    user = make_staff(group, first_name.lower())
    User.objects.filter(pk=user.pk).update(first_name=first_name)
    client = Client()
    client.force_login(user)
    return client


def hidden_value(response, name):
    pattern = rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"'
    match = re.search(pattern, page(response))
    assert match, f"no hidden {name} in the form"
    return html.unescape(match.group(1))


def page(response):
    return response.content.decode()


def form_data(form):
    """What a browser posts for `form` as rendered (initial or as typed), files aside."""
    data = {}
    for bound in form:
        widget = getattr(bound.field.widget, "widget", bound.field.widget)
        value = bound.value()
        if isinstance(bound.field, forms.FileField):
            continue
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            for index, (sub, part) in enumerate(zip(widget.widgets, parts, strict=True)):
                data[f"{bound.html_name}_{index}"] = sub.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):  # a select: the chosen option
                shown = shown[0] if shown else ""
            data[bound.html_name] = "" if shown is None else str(shown)
    return data


def open_form(client, url):
    """GET the change form: the data its Save button would post, snapshot included."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.context["adminform"].form)
    data["_merge_base"] = hidden_value(response, "_merge_base")
    return data
