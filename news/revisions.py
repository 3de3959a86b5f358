"""Two revisions of an article side by side, and one field brought back from an old one.

django-reversion keeps every save as a Version whose field_dict holds the
article's columns (and the ids of its tags, authors and related articles).
Fields are compared as the admin shows them (category names, dates in the
admin's language), grouped as the form is: what all editions share, then each
edition's own columns. Changes are marked word by word with difflib: deleted
words in the older column, added words in the newer one.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from core import editions
from news.models import Article, Author, Category, Tag

# Columns every edition shares, in the form's order; status is left to the workflow.
SHARED_FIELDS = ("slug", "category", "tags", "authors", "published_at", "featured", "related")
# Each edition's own columns (modeltranslation), in the form's order.
EDITION_FIELDS = ("title", "lead", "body", "dateline_city", "image_caption", "image_credit")
# Shown in the comparison, never restored on its own: publishing has its own rules.
SHOWN_ONLY = ("status", "image")
MANY_TO_MANY = {"tags": Tag, "authors": Author, "related": Article}

# Words and punctuation, each with the spaces after it, so a changed phrase is one mark.
TOKENS = re.compile(r"\w+\s*|[^\w\s]+\s*|\s+")


@dataclass
class FieldChange:
    name: str  # the model field ("title_kk_arab")
    label: str
    old: str  # HTML, deletions marked
    new: str  # HTML, additions marked
    restorable: bool
    # [(version, its value as HTML, whether restoring it would change the article)]
    sides: list = field(default_factory=list)


@dataclass
class Group:
    title: str
    code: str | None = None  # the edition, for lang and dir
    bcp47: str = ""
    rtl: bool = False
    changes: list = field(default_factory=list)


def marked(old, new):
    """(old, new) as HTML: words only in `old` in <del>, words only in `new` in <ins>."""
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(before[i1:i2])), escape("".join(after[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - escaped above


def shown(name, value):
    """A stored value as the admin shows it, in the admin's language."""
    if value in (None, ""):
        return ""
    if name == "category":
        category = Category.objects.filter(pk=value).first()
        return str(category) if category else f"#{value}"
    if name in MANY_TO_MANY:
        names = {str(pk): str(obj) for pk, obj in _by_pk(MANY_TO_MANY[name], value).items()}
        return ", ".join(sorted(names.get(str(pk), f"#{pk}") for pk in value))
    if name == "published_at":
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if name == "featured":
        return _("Yes") if value else _("No")
    if name == "status":
        return Article.Status(value).label if value in Article.Status.values else value
    return str(value)


def _by_pk(model, pks):
    return {str(obj.pk): obj for obj in model.objects.filter(pk__in=list(pks))}


def _label(name):
    return str(Article._meta.get_field(name).verbose_name)


def _stored(name, values):
    value = values.get(name)
    if name in MANY_TO_MANY:
        return sorted(map(str, value or []))
    return value


def current_values(article):
    """The article's values as they are now, keyed as in a Version's field_dict."""
    values = {name: getattr(article, Article._meta.get_field(name).attname) for name in RESTORABLE}
    for name in MANY_TO_MANY:
        values[name] = list(getattr(article, name).values_list("pk", flat=True))
    return values


def compare(old_version, new_version, article):
    """The groups of changed fields between two versions of `article`, older first."""
    old, new = old_version.field_dict, new_version.field_dict
    shared = Group(_("Shared by all editions"))
    for name in (*SHARED_FIELDS, *SHOWN_ONLY):
        _add_change(shared, name, _label(name), old, new, name not in SHOWN_ONLY)
    groups = [shared]
    for edition in editions.EDITIONS:
        group = Group(edition.name_local, edition.code, edition.bcp47, edition.bidi)
        for base in EDITION_FIELDS:
            _add_change(
                group, build_localized_fieldname(base, edition.code), _label(base), old, new, True
            )
        groups.append(group)
    groups = [group for group in groups if group.changes]
    now = current_values(article)
    for group in groups:
        for change in group.changes:
            change.sides = [
                (
                    version,
                    html,
                    change.restorable
                    and _stored(change.name, version.field_dict) != _stored(change.name, now),
                )
                for version, html in ((old_version, change.old), (new_version, change.new))
            ]
    return groups


def _add_change(group, name, label, old, new, restorable):
    before, after = _stored(name, old), _stored(name, new)
    if before == after:
        return
    group.changes.append(
        FieldChange(name, label, *marked(shown(name, before), shown(name, after)), restorable)
    )


RESTORABLE = frozenset(
    (
        *SHARED_FIELDS,
        *(
            build_localized_fieldname(base, code)
            for base in EDITION_FIELDS
            for code in editions.CODES
        ),
    )
)


def restore_field(article, version, name):
    """Put the value `name` had in `version` back into `article` (not saved for plain fields).

    Returns the label of the field; raises ValidationError when the old value no
    longer fits (a deleted category, a slug now too long…).
    """
    if name not in RESTORABLE or name not in version.field_dict:
        raise ValidationError(_("This field cannot be restored on its own."))
    value = version.field_dict[name]
    if name in MANY_TO_MANY:
        existing = MANY_TO_MANY[name].objects.filter(pk__in=list(value or []))
        if name == "related":
            existing = existing.exclude(pk=article.pk)
        getattr(article, name).set(existing)
        return _label(name)
    model_field = Article._meta.get_field(name)
    if name == "category":
        if not Category.objects.filter(pk=value).exists():
            raise ValidationError(_("The category of that revision no longer exists."))
        article.category_id = value
    else:
        setattr(article, name, model_field.clean(value, article))
    return str(model_field.verbose_name)
