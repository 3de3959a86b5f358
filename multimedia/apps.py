from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MultimediaConfig(AppConfig):
    name = "multimedia"
    verbose_name = _("Photo and video")

    def ready(self):
        # On every save, not only through the admin form, as for articles' lead images.
        from django.db.models.signals import post_save, pre_save

        from multimedia import sitemaps
        from multimedia.models import (
            Gallery,
            Photo,
            Video,
            make_photo_renditions,
            make_poster_renditions,
            with_reader_media,
        )
        from news.article_parts import keep_parts_unless
        from news.models import add_to_article_page, refresh_admin_search

        post_save.connect(make_photo_renditions, sender=Photo, dispatch_uid="multimedia.photo")
        post_save.connect(make_poster_renditions, sender=Video, dispatch_uid="multimedia.poster")
        # The admin's case-folded search column follows every save, as for articles.
        pre_save.connect(refresh_admin_search, sender=Gallery, dispatch_uid="multimedia.search")
        sitemaps.register()
        # An article's page reads its video and whether galleries are placed in it with
        # the article itself: most articles have neither, and cost no query for them.
        add_to_article_page(with_reader_media)
        # Galleries come out and videos change without a save of the article.
        keep_parts_unless(
            lambda article: (
                getattr(article, "has_galleries", False)
                or getattr(article, "video", None) is not None
            )
        )
