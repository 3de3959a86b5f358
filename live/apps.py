from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live coverage of an unfolding event: timestamped entries under an article.

    An app of its own above `news` (it imports news, news never imports it), so
    that the newsroom's models need no migration for it.
    """

    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        # On every save, not only through the admin form, like article bodies and images.
        from django.db.models.signals import post_save, pre_save

        from live.models import LiveEntry, make_entry_renditions, sanitize_entry
        from news.article_parts import keep_parts_unless
        from news.models import add_to_article_page

        pre_save.connect(sanitize_entry, sender=LiveEntry, dispatch_uid="live.sanitize_entry")
        post_save.connect(
            make_entry_renditions, sender=LiveEntry, dispatch_uid="live.entry_renditions"
        )
        # An article's page reads its coverage with the article (most have none: no query).
        add_to_article_page(lambda articles, now: articles.select_related("live_coverage"))
        # Its entries and its running label change without a save of the article.
        keep_parts_unless(lambda article: getattr(article, "live_coverage", None) is not None)
