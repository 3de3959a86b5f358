"""What readers see of an article's live coverage, in the active edition.

One lookup per article and request, shared by the page (label, entries,
JSON-LD, script) and built the same way for the JSON feed the page polls.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation

from live.models import LiveCoverage
from news.models import Article

MEMO = "_live_coverage_for_readers"


@dataclass
class Coverage:
    coverage: LiveCoverage
    entries: list = field(default_factory=list)
    running: bool = False


def for_article(article):
    """The article's coverage with the entries readers of this edition see; None without one."""
    memo = article.__dict__.get(MEMO)
    if memo is None or memo[0] != translation.get_language():
        if Article.live_coverage.is_cached(article):  # read with the article: its page
            coverage = getattr(article, "live_coverage", None)
        else:
            coverage = LiveCoverage.objects.filter(article_id=article.pk).first()
        found = None
        if coverage is not None:
            coverage.article = article
            found = Coverage(
                coverage,
                list(coverage.entries_for_readers()),
                coverage.is_running(timezone.now()),
            )
        memo = (translation.get_language(), found)
        article.__dict__[MEMO] = memo
    return memo[1]


def entry_html(entry):
    """One entry as the page shows it: the script inserts exactly this markup."""
    return render_to_string("includes/live_entry.html", {"entry": entry})
