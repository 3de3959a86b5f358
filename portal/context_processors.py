from django.core.cache import cache
from django.utils import translation

from news.models import Category, SiteSettings
from portal import editions

NAV_CACHE_SECONDS = 300


def navigation(code):
    """Top categories of an edition for the main menu, cached (cleared when categories change)."""
    key = f"nav:{code}"
    items = cache.get(key)
    if items is None:
        with translation.override(code):
            items = [
                (category.name, category.get_absolute_url())
                for category in Category.objects.in_edition(code).filter(parent=None)
            ]
        cache.set(key, items, NAV_CACHE_SECONDS)
    return items


def site_phone():
    phone = cache.get("site:phone")
    if phone is None:
        phone = SiteSettings.current().phone
        cache.set("site:phone", phone, NAV_CACHE_SECONDS)
    return phone


def portal(request):
    code = translation.get_language() or editions.DEFAULT
    return {
        "edition": editions.get(code),
        "editions": editions.EDITIONS,
        "navigation": navigation(code),
        "site_phone": site_phone(),
    }
