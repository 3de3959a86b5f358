"""Heartbeats and autosaves of the article form, stored where every worker process sees them.

The local-memory cache is per process, so with several gunicorn workers a
heartbeat kept there would be invisible to the others: both live in the database.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import editions

# An editor whose form has sent no heartbeat for this long has left.
PRESENCE_TIMEOUT = timedelta(minutes=2)


class PresenceQuerySet(models.QuerySet):
    def current(self, now=None):
        return self.filter(seen_at__gte=(now or timezone.now()) - PRESENCE_TIMEOUT)

    def expired(self, now=None):
        return self.filter(seen_at__lt=(now or timezone.now()) - PRESENCE_TIMEOUT)

    def others_on(self, article, user, now=None):
        return (
            self.current(now)
            .filter(article=article)
            .exclude(user=user)
            .select_related("user")
            .order_by("seen_at")
        )


class Presence(models.Model):
    """Someone has an article's change form open, in this edition tab, as of `seen_at`."""

    article = models.ForeignKey("news.Article", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tab = models.CharField(max_length=20)
    seen_at = models.DateTimeField(db_index=True)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="coediting_one_presence")
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id} ({self.tab})"

    @classmethod
    def beat(cls, article, user, tab, now=None):
        now = now or timezone.now()
        cls.objects.update_or_create(
            article=article, user=user, defaults={"tab": tab, "seen_at": now}
        )
        # Cheap housekeeping, so the table holds only the people editing now.
        cls.objects.expired(now).delete()


class AutosaveQuerySet(models.QuerySet):
    def of(self, user, article=None):
        """The autosave of `user` on `article`, or on a new article when it is None."""
        return self.filter(user=user, article=article)


class Autosave(models.Model):
    """The fields an editor changed and has not saved yet: {form field name: [values]}.

    Only the changed fields are kept, so restoring them never puts back values
    of fields that someone else has saved since.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # None: the add form of a new, never saved article.
    article = models.ForeignKey(
        "news.Article", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    data = models.JSONField(default=dict)
    # Text of chosen options ({field: {value: text}}), so that autocomplete
    # selects can show what they are given back.
    labels = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="coediting_one_autosave"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="coediting_one_new_article_autosave",
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id or 'a new article'}"


# Save notices older than this are of no use to a form still open.
NOTICE_LIFETIME = timedelta(days=2)


class SaveNoticeQuerySet(models.QuerySet):
    def on(self, article):
        return self.filter(article=article)

    def by_others_since(self, article, notice_id, user):
        return (
            self.on(article)
            .filter(pk__gt=notice_id)
            .exclude(user=user)
            .select_related("user")
            .order_by("pk")
        )


class SaveNotice(models.Model):
    """Someone saved an article through its form, changing these editions (codes)."""

    article = models.ForeignKey("news.Article", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    editions = models.JSONField(default=list)
    saved_at = models.DateTimeField(db_index=True)

    objects = SaveNoticeQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        verbose_name = _("save notice")
        verbose_name_plural = _("save notices")

    def __str__(self):
        names = ", ".join(translation.gettext(editions.get(code).name_en) for code in self.editions)
        return translation.gettext("%(user)s saved: %(editions)s") % {
            "user": self.user,
            "editions": names,
        }

    @classmethod
    def record(cls, article, user, codes, now=None):
        now = now or timezone.now()
        cls.objects.filter(saved_at__lt=now - NOTICE_LIFETIME).delete()
        return cls.objects.create(article=article, user=user, editions=codes, saved_at=now)
