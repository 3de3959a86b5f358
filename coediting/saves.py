"""What a save changed, and the notice others see about it."""

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from coediting.models import SaveNotice
from core import editions


def changed_editions(model, changed_fields):
    """The codes of the editions whose translated fields are among `changed_fields`."""
    try:
        translated = translator.get_options_for_model(model).fields
    except NotRegistered:
        return []
    changed = set(changed_fields)
    return [
        code
        for code in editions.CODES
        if changed & {build_localized_fieldname(name, code) for name in translated}
    ]


def latest_notice_id(article):
    """Where a freshly opened form's poll starts from: the newest save notice, or 0."""
    if article is None or article.pk is None:
        return 0
    return SaveNotice.objects.on(article).aggregate(latest=Max("pk"))["latest"] or 0


def display_name(user):
    if user is None:
        return _("An unknown editor")
    return user.get_full_name() or user.get_username()


def clock(moment):
    return timezone.localtime(moment).strftime("%H:%M")


def notice_text(notice):
    """ "Aigerim saved the kk edition at 10:42", in the active language."""
    values = {"name": display_name(notice.user), "time": clock(notice.saved_at)}
    codes = [code for code in notice.editions if code in editions.CODES]
    if not codes:
        return _("%(name)s saved the article at %(time)s.") % values
    return ngettext(
        "%(name)s saved the %(editions)s edition at %(time)s.",
        "%(name)s saved the %(editions)s editions at %(time)s.",
        len(codes),
    ) % {**values, "editions": ", ".join(codes)}
