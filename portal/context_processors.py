from django.utils import translation

from news.models import Category, SiteSettings
from portal import editions
from portal.cache import cached

NAV_CACHE_SECONDS = 600


def navigation(code):
    """Top categories of an edition for the main menu."""

    def compute():
        with translation.override(code):
            return [
                (category.name, category.get_absolute_url())
                for category in Category.objects.in_edition(code).filter(parent=None)
            ]

    return cached(f"nav:{code}", compute, NAV_CACHE_SECONDS)


def portal(request):
    code = translation.get_language() or editions.DEFAULT
    return {
        "edition": editions.get(code),
        "editions": editions.EDITIONS,
        "navigation": navigation(code),
        "site_phone": cached("site:phone", lambda: SiteSettings.current().phone, NAV_CACHE_SECONDS),
    }
