"""RSS 2.0 feed of an edition's photo galleries."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from core import editions
from core.site import absolute_url, as_site_request
from multimedia.models import Gallery
from multimedia.views import with_covers
from news.discovery import cacheable, freshness
from news.feeds import FEED_LENGTH, image_sizes

MIME_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class GalleryFeed(Feed):
    def __init__(self):
        super().__init__()
        self.sizes = {}

    @property
    def language(self):
        return editions.get(translation.get_language()).bcp47

    def items(self):
        galleries = with_covers(
            Gallery.objects.for_readers().with_cover_id().newest_first()[:FEED_LENGTH]
        )
        # image_sizes reads `.image` of what it is given: the covers.
        self.sizes = image_sizes([g.cover for g in galleries if g.cover])
        return galleries

    def title(self):
        return f"{gettext('Photo galleries')} | {pgettext('site name', 'Kazinform')}"

    def description(self):
        return gettext("Photo galleries of the national news agency of Kazakhstan.")

    def link(self):
        return absolute_url(reverse("multimedia:galleries"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.description)

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_enclosures(self, item):
        if not item.cover:
            return []
        image = item.cover.image
        extension = image.name.rsplit(".", 1)[-1]
        return [
            Enclosure(
                url=absolute_url(image.url),
                length=str(self.sizes.get(image.name, 0)),
                mime_type=MIME_TYPES.get(extension, "image/jpeg"),
            )
        ]


def published_galleries(request, **kwargs):
    return freshness(Gallery.objects.published())


@cacheable(published_galleries)
def gallery_feed(request):
    request = as_site_request(request)
    return GalleryFeed()(request)
