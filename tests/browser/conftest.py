"""A real Chromium, driven by Playwright's sync API, against pytest-django's live server.

The browser is Debian's `chromium` (Playwright's own download is not used). When it
is missing the browser tests skip with the reason, unless REQUIRE_BROWSER=1 (set by
.ci/run), where a missing browser is a failure: CI must never pass by skipping.
"""

import io
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname
from PIL import Image

from core import editions
from news.models import DailyViews
from tests.builders import make_article, make_author, make_category, make_tag

# Playwright's sync API runs an asyncio event loop in the main thread for as long
# as the browser lives, and Django refuses synchronous database access from a
# thread with a running loop (SynchronousOnlyOperation), which would break every
# builder and every DailyViews check in these tests. The loop only drives the
# browser, never Django code, so the guard protects nothing here. The browser is
# session-scoped, so this has to hold for the whole session.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The count view ignores user agents that look like bots, "HeadlessChrome" included.
DESKTOP_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)
DESKTOP = {"width": 1280, "height": 900}
# The narrowest phone the portal is designed for (PRODUCT.md: 360 px).
PHONE = {"width": 360, "height": 780}


def required():
    return os.environ.get("REQUIRE_BROWSER", "").lower() in ("1", "true", "yes", "on")


def unavailable(reason):
    """Skip for want of a tool on a developer's machine; fail where it is required."""
    if required():
        pytest.fail(f"{reason} (REQUIRE_BROWSER is set, so this is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        unavailable(
            f"no Chromium at {CHROMIUM}: "
            "apt-get install chromium fonts-noto-cjk fonts-noto-core to run the browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -e '.[dev]'")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        unavailable(f"Chromium at {CHROMIUM} does not start: {error}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def unhashed_static(settings):
    """Static URLs by their plain names, which the live server serves from static/.

    The live server puts Django's StaticFilesHandler in front of the app, and it
    looks files up with the finders, which know `css/portal.css` but not the
    hashed `css/portal.8183e4912c09.css` that the manifest storage writes into pages.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def new_page(browser, viewport=DESKTOP, **options):
    context = browser.new_context(
        viewport=viewport, user_agent=DESKTOP_USER_AGENT, locale="en-US", **options
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, site):
    """A fresh context (no cookies, no cache) per test, at desktop width, JavaScript on."""
    context, tab = new_page(browser)
    yield tab
    context.close()


@pytest.fixture
def open_page(browser, site):
    """Opens pages in contexts of the test's choosing (width, JavaScript off) and closes them."""
    contexts = []

    def open_(viewport=DESKTOP, **options):
        context, tab = new_page(browser, viewport, **options)
        contexts.append(context)
        return tab

    yield open_
    for context in contexts:
        context.close()


# One headline per edition in its own script, so pages show real Cyrillic, Han and Arabic text.
HEADLINES = {
    "en": "Senate speaker meets the ambassador of Japan",
    "ru": "Спикер Сената встретился с послом Японии",
    "kk": "Сенат спикері Жапония елшісімен кездесті",
    "kk-latn": "Senat spikeri Japonia elshisimen kezdesti",
    "zh-hans": "参议院议长会见日本大使",
    "kk-arab": "سەنات سپيكەرى جاپونيا ەلشىسىمەن كەزدەستى",
    "uz": "Сенат спикери Япония элчиси билан учрашди",
}


def headline_fields(codes=editions.CODES):
    """Title, lead and body of a story in each edition of `codes`, in that edition's script."""
    fields = {}
    for code in codes:
        text = HEADLINES[code]
        fields[build_localized_fieldname("title", code)] = text
        fields[build_localized_fieldname("lead", code)] = f"{text}. {text}."
        fields[build_localized_fieldname("body", code)] = "".join(
            f"<p>{text}. {text}. {text}.</p>" for _ in range(3)
        )
    return fields


@pytest.fixture
def newsroom(site):
    """A small newsroom in every edition: nested categories, a tagged, authored lead
    story, more stories in each category, and reads for the popular list."""
    news = make_category("news", name="News")
    politics = make_category("politics", parent=news, name="Politics")
    world = make_category("world", name="World")
    tag = make_tag("senate", name="Senate")
    author = make_author("adlet", name="Adlet Seilkhanov")
    lead = make_article(
        category=politics,
        tags=[tag],
        authors=[author],
        featured=True,
        slug="senate-speaker",
        dateline_city_en="Astana",
        **headline_fields(),
    )
    others = [
        make_article("Story", codes=editions.CODES, category=category, tags=[tag])
        for category in (news, politics, world, world)
    ]
    for article in [lead, *others]:
        for code in editions.CODES:
            DailyViews.record(article.pk, code)
    return SimpleNamespace(
        lead=lead, others=others, news=news, politics=politics, tag=tag, author=author
    )


def jpeg(name="photo.jpg", size=(320, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def illustrated(newsroom):
    """The newsroom with a lead image on the lead story and a photo and bio for its
    author, so pages show every part they have."""
    lead = newsroom.lead
    lead.image = jpeg()
    for code in editions.CODES:
        setattr(lead, build_localized_fieldname("image_caption", code), HEADLINES[code])
    lead.image_credit_en = "Photo: Kazinform"
    lead.save()
    author = newsroom.author
    for code in editions.CODES:
        setattr(
            author, build_localized_fieldname("bio", code), f"{HEADLINES[code]}. {HEADLINES[code]}."
        )
    author.photo = jpeg("adlet.jpg", (120, 120))
    author.save()
    return newsroom


def reader_pages(newsroom, code):
    """{page type: (path, expected status)} of every kind of reader page in edition `code`."""
    with translation.override(code):
        return {
            "home": (reverse("news:home"), 200),
            # A nested category, so its breadcrumbs go through the parent.
            "category": (newsroom.politics.get_absolute_url(), 200),
            "article": (newsroom.lead.get_absolute_url(), 200),
            "tag": (newsroom.tag.get_absolute_url(), 200),
            "author": (newsroom.author.get_absolute_url(), 200),
            "search": (reverse("news:search") + "?q=story", 200),
            "404": (f"/{code}/no-such-page/", 404),
        }


# Screenshots are CI artifacts: CI keeps this folder; git ignores it.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR") or Path(settings.BASE_DIR) / "artifacts" / "screenshots"
)
_screenshots_taken = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def screenshots_dir(pytestconfig):
    """Where tests save screenshots; its absolute path is printed at the end of the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[_screenshots_taken] = SCREENSHOTS.resolve()
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter, config):
    folder = config.stash.get(_screenshots_taken, None)
    if folder is not None:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"saved under {folder}")
