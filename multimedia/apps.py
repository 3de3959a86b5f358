from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MultimediaConfig(AppConfig):
    name = "multimedia"
    verbose_name = _("Photo and video")

    def ready(self):
        # On every save, not only through the admin form, as for articles' lead images.
        from django.db.models.signals import post_save

        from multimedia import sitemaps
        from multimedia.models import Photo, Video, make_photo_renditions, make_poster_renditions

        post_save.connect(make_photo_renditions, sender=Photo, dispatch_uid="multimedia.photo")
        post_save.connect(make_poster_renditions, sender=Video, dispatch_uid="multimedia.poster")
        sitemaps.register()
