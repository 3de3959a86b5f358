"""The newsroom workflow: draft → awaiting review → scheduled or published → unpublished.

Every step is one transaction that changes the article, keeps a revision of it
(django-reversion) and records an ArticleEvent, so the editor and the chief
editor both see who did what, when. Who may take a step is the admin's business
(news.admin); these functions check only that the step makes sense.
"""

import reversion
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import editions
from news.models import Article, ArticleEvent


class WorkflowError(Exception):
    """A step that cannot be taken, with the reason in the editor's language."""


def not_publishable_reason(article):
    """Why `article` cannot be published, or None when it can."""
    if not article.editions():
        return _("it has no title and body in any edition, so readers would find nothing.")
    if missing := article.editions_missing_alt():
        return _("the lead image has no alt text in: %(editions)s.") % {
            "editions": edition_names(missing)
        }
    return None


def edition_names(codes):
    """The editions `codes` by their own names, as the reader switcher shows them."""
    return ", ".join(editions.get(code).name_local for code in codes)


def stored(comment):
    """A revision comment as its English msgid: the history page translates it for
    whoever reads it (news.admin_editions.change_message)."""
    with translation.override("en"):
        return str(comment)


def _save(article, user, action, comment, publish_at=None, note=""):
    with transaction.atomic(), reversion.create_revision():
        article.updated_by = user
        article.save()
        reversion.set_user(user)
        reversion.set_comment(stored(comment))
        return ArticleEvent.objects.create(
            article=article, user=user, action=action, publish_at=publish_at, note=note
        )


def _locked(article):
    """The article as stored now, locked until the step is saved (two chiefs, one click)."""
    return Article.objects.select_for_update().get(pk=article.pk)


def submit_for_review(article, user, publish_at=None, note=""):
    """An editor hands a draft to the chief editor, proposing when to publish it."""
    with transaction.atomic():
        article = _locked(article)
        if article.status not in (Article.Status.DRAFT, Article.Status.UNPUBLISHED):
            raise WorkflowError(_("Only a draft can be submitted for review."))
        if reason := not_publishable_reason(article):
            raise WorkflowError(
                _("This article cannot be submitted: %(reason)s") % {"reason": reason}
            )
        if publish_at is not None and publish_at <= timezone.now():
            raise WorkflowError(_("The proposed publish time has already passed."))
        article.status = Article.Status.REVIEW
        article.proposed_publish_at = publish_at
        _save(
            article,
            user,
            ArticleEvent.Action.SUBMITTED,
            gettext_noop("Submitted for review"),
            publish_at,
            note,
        )
    return article


def approve(article, user, at_proposed_time=False, note=""):
    """The chief editor publishes a reviewed article now, or at the time its editor proposed."""
    with transaction.atomic():
        article = _locked(article)
        if article.status != Article.Status.REVIEW:
            raise WorkflowError(_("This article is not awaiting review."))
        if reason := not_publishable_reason(article):
            raise WorkflowError(
                _("This article cannot be published: %(reason)s") % {"reason": reason}
            )
        now = timezone.now()
        if at_proposed_time:
            if article.proposed_publish_at is None or article.proposed_publish_at <= now:
                raise WorkflowError(_("There is no proposed publish time still to come."))
            article.published_at = article.proposed_publish_at
            action, comment = ArticleEvent.Action.SCHEDULED, gettext_noop("Scheduled")
        else:
            article.published_at = now
            action, comment = ArticleEvent.Action.PUBLISHED, gettext_noop("Published")
        article.status = Article.Status.PUBLISHED
        article.proposed_publish_at = None
        _save(article, user, action, comment, article.published_at, note)
    return article


def send_back(article, user, note):
    """The chief editor returns a reviewed article to its editor as a draft, saying why."""
    if not note.strip():
        raise WorkflowError(_("Say what should change before sending the article back."))
    with transaction.atomic():
        article = _locked(article)
        if article.status != Article.Status.REVIEW:
            raise WorkflowError(_("This article is not awaiting review."))
        article.status = Article.Status.DRAFT
        comment = gettext_noop("Sent back to the author")
        _save(article, user, ArticleEvent.Action.RETURNED, comment, note=note)
    return article


def record_status_change(article, user, old_status):
    """Log a status change made through the form or a bulk action (no revision of its own)."""
    if article.status == old_status:
        return None
    action = {
        Article.Status.DRAFT: ArticleEvent.Action.DRAFTED,
        Article.Status.REVIEW: ArticleEvent.Action.SUBMITTED,
        Article.Status.UNPUBLISHED: ArticleEvent.Action.UNPUBLISHED,
    }.get(article.status)
    if article.status == Article.Status.PUBLISHED:
        action = (
            ArticleEvent.Action.PUBLISHED if article.is_public else ArticleEvent.Action.SCHEDULED
        )
    publish_at = article.published_at if article.status == Article.Status.PUBLISHED else None
    return ArticleEvent.objects.create(
        article=article, user=user, action=action, publish_at=publish_at
    )


def publish(article, user, comment):
    """A bulk publish of one article; refused, with the reason, when it is in no edition."""
    if reason := not_publishable_reason(article):
        raise WorkflowError(reason)
    old_status = article.status
    article.status = Article.Status.PUBLISHED
    article.updated_by = user
    with transaction.atomic(), reversion.create_revision():
        article.save()
        reversion.set_user(user)
        reversion.set_comment(stored(comment))
        record_status_change(article, user, old_status)
    return article


def live_links(article):
    """Links to the reader page of `article` in each edition it is written in."""
    links = []
    for code in article.editions():
        edition = editions.get(code)
        with translation.override(code):
            links.append((article.get_absolute_url(), edition.bcp47, edition.name_local))
    return format_html_join(", ", '<a href="{}" lang="{}">{}</a>', links)


def publish_message(article):
    """What the chief editor reads after publishing: where the article is live, or when."""
    if article.state == Article.State.SCHEDULED:
        when = formats.date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
        return format_html(
            _("“{title}” is scheduled for {time} in: {editions}."),
            title=str(article),
            time=when,
            editions=live_links(article),
        )
    return format_html(
        _("“{title}” is now live in: {editions}."), title=str(article), editions=live_links(article)
    )
