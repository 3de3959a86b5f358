"""The newsroom's desk on the admin home page: one edition's work in four boxes.

Each box counts exactly what its link lists: the link opens the article list
with the same filters (news.admin StateFilter, EditionFilter, OwnerFilter),
which use the same queryset methods.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core import editions
from news.models import Article

SESSION_KEY = "newsroom_desk_edition"
ITEMS_PER_BOX = 5


@dataclass
class Box:
    key: str
    title: str
    count: int
    url: str
    items: list  # (article, headline in the edition, time to show, change url)
    empty: str


def remember_edition(request, code):
    request.session[SESSION_KEY] = code


def chosen_edition(request):
    """The edition this editor chose last, else the admin's language if it is an edition."""
    code = request.session.get(SESSION_KEY)
    if code in editions.CODES:
        return code
    language = translation.get_language()
    return language if language in editions.CODES else editions.DEFAULT


def boxes(request, code):
    articles = Article.objects.in_edition(code)
    changelist = reverse("admin:news_article_changelist")
    wanted = [
        (
            "drafts",
            _("My drafts"),
            articles.in_state(Article.State.DRAFT).filter(created_by=request.user),
            {"state": Article.State.DRAFT, "owner": "me"},
            "updated_at",
            F("updated_at").desc(),
            _("No drafts of yours in this edition."),
        ),
        (
            "review",
            _("Awaiting review"),
            articles.in_state(Article.State.REVIEW),
            {"state": Article.State.REVIEW},
            "proposed_publish_at",
            F("proposed_publish_at").asc(nulls_first=True),
            _("Nothing awaits review in this edition."),
        ),
        (
            "scheduled",
            _("Scheduled"),
            articles.in_state(Article.State.SCHEDULED),
            {"state": Article.State.SCHEDULED},
            "published_at",
            F("published_at").asc(),
            _("Nothing is scheduled in this edition."),
        ),
        (
            "today",
            _("Published today"),
            articles.published_today(),
            {"state": "today"},
            "published_at",
            F("published_at").desc(),
            _("Nothing was published today in this edition."),
        ),
    ]
    title = build_localized_fieldname("title", code)
    result = []
    for key, heading, queryset, filters, time_field, order, empty in wanted:
        items = [
            (
                article,
                getattr(article, title),
                getattr(article, time_field),
                reverse("admin:news_article_change", args=[article.pk]),
            )
            for article in queryset.order_by(order, "-pk")[:ITEMS_PER_BOX]
        ]
        url = f"{changelist}?{urlencode({**filters, 'edition': code})}"
        result.append(Box(key, heading, queryset.count(), url, items, empty))
    return result
