from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Newsroom")

    def ready(self):
        # On every save, not only through the admin form: the demo loader and
        # restored revisions go through the same cleaning and renditions.
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save, pre_save

        from news.images import make_article_renditions
        from news.models import (
            Article,
            Author,
            BodyImage,
            Category,
            Tag,
            refresh_admin_search,
            remember_whether_published,
        )
        from news.sanitize import sanitize_article
        from news.search import register_sqlite_functions

        pre_save.connect(sanitize_article, sender=Article, dispatch_uid="news.sanitize_article")
        # Which saves readers see (core.signals): compared with the article as stored.
        pre_save.connect(
            remember_whether_published, sender=Article, dispatch_uid="news.was_published"
        )
        post_save.connect(
            make_article_renditions, sender=Article, dispatch_uid="news.article_renditions"
        )
        for model in (Article, Category, Tag, Author):
            pre_save.connect(
                refresh_admin_search,
                sender=model,
                dispatch_uid=f"news.admin_search.{model.__name__}",
            )
        post_save.connect(
            make_article_renditions, sender=BodyImage, dispatch_uid="news.body_image_renditions"
        )
        # Related news are stored per tag and edition, refreshed by the saves that change them.
        from news import related

        related.connect()
        # A renamed category, tag or author changes sitemaps and feeds (news.discovery).
        from news.discovery import subjects_changed

        for model in (Category, Tag, Author):
            for signal in (post_save, post_delete):
                signal.connect(
                    subjects_changed, sender=model, dispatch_uid=f"news.discovery.{model.__name__}"
                )
        # An article page's own parts are kept until the article or a name they show changes.
        from news import article_parts

        article_parts.connect()
        # The sitemap index's census, kept page by page as articles change.
        from news import sitemaps

        sitemaps.connect()
        # Case-insensitive search in every script on SQLite (see news.search).
        connection_created.connect(register_sqlite_functions, dispatch_uid="news.search_fold")
        register_select2_languages()
        from news.admin_editions import localise_django_admin

        localise_django_admin()

    def warm_up(self):
        """Make the prepared queries of the shapes nearly every worker runs, which are
        otherwise made at their first use, for core.warmup to compile before the fork:
        the most read list, the subjects' pages, the listings of a tag, an author or a
        category without sub-categories and their kept pages, a search's count."""
        from news.models import (
            Author,
            Category,
            Tag,
            listing_page_query,
            most_read,
            subject_page_query,
        )
        from news.pagination import MAX_PAGES
        from news.search import readable_matches_up_to
        from news.templatetags.news import POPULAR_LIMIT
        from news.views import PAGE_SIZE

        most_read(POPULAR_LIMIT + 1)
        for model in (Category, Tag, Author):
            subject_page_query(model)
        for relation in ("tags", "authors", "category"):
            listing_page_query(relation, 1, PAGE_SIZE + 1)
        listing_page_query("pk", PAGE_SIZE, PAGE_SIZE)
        readable_matches_up_to(MAX_PAGES * PAGE_SIZE + 1)


# Select2 (the admin's autocomplete) has no Kazakh in any script, and Django would
# give the Uzbek admin nothing either; our messages are in
# static/admin/js/vendor/select2/i18n/. Django reads this table when it renders an
# autocomplete widget, so adding to it is all the admin needs.
SELECT2_LANGUAGES = {"kk": "kk", "kk-latn": "kk-Latn", "kk-arab": "kk-Arab", "uz": "uz"}


def register_select2_languages():
    from django.contrib.admin import widgets

    widgets.SELECT2_TRANSLATIONS.update(SELECT2_LANGUAGES)
