"""Gallery pages in the sitemaps: one section per edition, next to the news app's."""

from django.db.models import Max

from multimedia.models import Gallery
from news import sitemaps


class GallerySitemap(sitemaps.EditionSitemap):
    def items(self):
        return (
            Gallery.objects.for_readers(self.code)
            .only("pk", "slug", "updated_at")
            .with_edition_flags()
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return Gallery.objects.for_readers(self.code).aggregate(latest=Max("updated_at"))["latest"]


def register():
    sitemaps.add_kind("galleries", GallerySitemap)
