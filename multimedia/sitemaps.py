"""Gallery pages in the sitemaps: one section per edition, next to the news app's."""

from multimedia.models import Gallery
from news import sitemaps


class GallerySitemap(sitemaps.ReadableSitemap):
    model, url_name = Gallery, "multimedia:gallery"


def register():
    sitemaps.add_kind("galleries", GallerySitemap)
