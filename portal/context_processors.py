from django.utils import translation

from core import editions


def edition(request):
    """The edition being read and the list of all of them; no database work, so that
    every page (sitemaps and error pages included) can render with it."""
    code = translation.get_language() or editions.DEFAULT
    return {"edition": editions.get(code), "editions": editions.EDITIONS}
