"""The details readers notice: related and popular lists, the menu, right-to-left
breadcrumbs, captions, Chinese punctuation, icons, focus rings and touch targets."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from PIL import Image

from news.models import Article, Category, DailyViews
from tests.builders import make_article, make_author, make_category, make_tag
from tests.test_translations import VisibleText

pytestmark = pytest.mark.django_db

STYLESHEET = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(html, css_class):
    part = html[html.index(f'class="{css_class}"') :]
    return part[: part.index("</section>")]


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


# Related news and Popular


def test_related_news_come_newest_first_after_the_editors_choices(client):
    tag = make_tag()
    article = make_article(tags=[tag])
    old = make_article("Old", tags=[tag], published_at=hours_ago(50))
    new = make_article("New", tags=[tag], published_at=hours_ago(2))
    middle = make_article("Middle", tags=[tag], published_at=hours_ago(20))
    chosen = make_article("Chosen", published_at=hours_ago(90))
    article.related.add(chosen)
    related = section(page(client, article.get_absolute_url()), "related")
    titles = re.findall(r">((?:Chosen|New|Middle|Old) \d+ \[en\])</a>", related)
    assert titles == [chosen.title, new.title, middle.title, old.title]


def test_popular_on_an_article_page_leaves_out_the_article_being_read(client):
    articles = [make_article(f"Read{n}") for n in range(6)]
    for count, article in enumerate(articles, start=1):
        DailyViews.objects.create(
            article=article, edition="en", day=timezone.localdate(), count=count * 10
        )
    most_read = articles[-1]
    popular = section(page(client, most_read.get_absolute_url()), "popular")
    assert most_read.title not in popular
    # Still five: the next most read takes its place.
    assert popular.count("<li>") == 5
    assert articles[0].title in popular
    # Other pages list it as before.
    assert most_read.title in section(page(client, "/en/"), "popular")


# The menu


def menu(html):
    part = html[html.index('class="main-nav"') :]
    return re.findall(r'<a href="/en/category/([^/]+)/">', part[: part.index("</nav>")])


def test_menu_hides_categories_without_news_in_the_edition(client):
    make_article(category=make_category("politics", name="Politics"))
    make_category("empty")
    make_article(codes=("ru",), category=make_category("russian-only"))
    make_article(category=make_category("drafts"), status=Article.Status.DRAFT)
    make_article(category=make_category("tomorrow"), published_at=timezone.now() + timedelta(1))
    assert menu(page(client, "/en/")) == ["politics"]


def test_menu_shows_a_category_whose_news_are_in_a_sub_category_at_any_depth(client):
    economy = make_category("economy")
    make_article(category=make_category("banks", parent=make_category("finance", parent=economy)))
    assert menu(page(client, "/en/")) == ["economy"]


def test_menu_is_one_query_however_many_categories(django_assert_num_queries):
    for n in range(5):
        parent = make_category(f"top-{n}")
        make_article(category=make_category(parent=make_category(parent=parent)))
    with translation.override("en"), django_assert_num_queries(1):
        assert len(Category.menu("en")) == 5


def test_the_menu_query_is_an_exists_subquery():
    with CaptureQueriesContext(connection) as queries:
        Category.menu("en")
    assert "EXISTS" in queries[0]["sql"].upper()


# Right to left


def rule(selector):
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", STYLESHEET)
    assert match, selector
    return match.group(1)


def test_breadcrumb_chevron_is_mirrored_in_the_right_to_left_edition(client):
    article = make_article(codes=("kk-arab",), category=make_category(codes=("kk-arab",)))
    html = page(client, f"/kk-arab/article/{article.pk}-{article.slug}/")
    assert '<html lang="kk-Arab" dir="rtl">' in html and 'class="breadcrumbs"' in html
    ltr = rule(".breadcrumbs li + li::before")
    rtl = rule("[dir=rtl] .breadcrumbs li + li::before")
    assert 'content: "›"' in ltr
    # Drawn unmirrored (left to right, isolated), then flipped to point left.
    assert "direction: ltr" in rtl and "unicode-bidi: isolate" in rtl
    assert "transform: scaleX(-1)" in rtl


# Caption and credit


def test_caption_and_credit_are_separate_lines(client):
    data = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 94, 168)).save(data, "PNG")
    article = make_article(
        image=SimpleUploadedFile("lead.png", data.getvalue(), content_type="image/png"),
        image_caption_en="The meeting",
        image_credit_en="Photo: Kazinform",
    )
    html = page(client, article.get_absolute_url())
    assert (
        '<figcaption><p class="caption">The meeting</p>'
        '<p class="credit">Photo: Kazinform</p></figcaption>'
    ) in html


# Chinese punctuation


def test_chinese_pages_use_full_width_colons_and_list_commas(client):
    authors = [make_author(codes=("zh-hans",)), make_author(codes=("zh-hans",))]
    article = make_article(codes=("zh-hans",), authors=authors)
    html = page(client, f"/zh-hans/article/{article.pk}-{article.slug}/")
    text = VisibleText.of(html)
    # Only clock times ("16:38") keep the ASCII colon.
    assert not re.search(r"(?<!\d):|:(?!\d)", text), text
    assert "作者：" in text and "分享：" in text and "联系我们：" in text
    assert "</a>、<a " in html


def test_other_editions_keep_their_colons(client):
    article = make_article(authors=[make_author()])
    text = VisibleText.of(page(client, article.get_absolute_url()))
    assert "Author: Author" in text and "Share:" in text and "Contact us: " in text


# Icons


@pytest.mark.parametrize(
    ("address", "target"),
    [
        ("/favicon.ico", "img/favicon.ico"),
        ("/apple-touch-icon.png", "img/apple-touch-icon.png"),
    ],
)
def test_browsers_asking_the_root_for_icons_find_them(client, address, target):
    response = client.get(address)
    assert response.status_code == 302
    stem, extension = target.rsplit(".", 1)
    # The static file's address, with its content hash where the storage adds one.
    pattern = rf"/static/{re.escape(stem)}(\.[0-9a-f]+)?\.{extension}"
    assert re.fullmatch(pattern, response["Location"]), response["Location"]
    assert finders.find(target)


def test_pages_link_their_icons(client):
    html = page(client, "/kk-arab/")
    assert re.search(r'<link rel="icon" href="/static/img/favicon[^"]*\.svg" type="image/svg', html)
    assert re.search(r'<link rel="icon" href="/static/img/favicon[^"]*\.ico"', html)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/img/apple-touch-icon', html)


def test_icons_are_real_images_of_the_sizes_browsers_want():
    with Image.open(finders.find("img/apple-touch-icon.png")) as touch:
        assert touch.size == (180, 180) and touch.mode == "RGB"  # iOS shows transparency black
    with Image.open(finders.find("img/favicon.ico")) as ico:
        assert {(16, 16), (32, 32)} <= set(ico.info["sizes"])


# Focus rings and touch targets


def luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def variable(name, block=":root"):
    """A colour custom property of `block`, as #rrggbb."""
    value = re.search(rf"--{name}:\s*#([0-9a-fA-F]{{6}}|[0-9a-fA-F]{{3}})\b", rule(block)).group(1)
    return "#" + (value if len(value) == 6 else "".join(c * 2 for c in value))


def test_focus_ring_has_at_least_3_to_1_contrast_on_every_background():
    ring = variable("focus")
    for background in ("bg", "soft"):
        assert contrast(ring, variable(background)) >= 3, background
    # The menu bar is the brand colour; its links get a light ring of their own.
    assert contrast(variable("focus", ".main-nav"), variable("brand")) >= 3


def test_every_focus_style_uses_the_ring():
    assert ":focus-visible { outline: 3px solid var(--focus)" in STYLESHEET
    outlines = re.findall(r"outline:\s*([^;}]+)", STYLESHEET)
    assert all("var(--focus)" in value or value.strip() == "none" for value in outlines), outlines


def test_switcher_targets_are_at_least_24_px_square():
    switcher = rule(".switcher a, .switcher .unavailable")
    assert "min-inline-size: 24px" in switcher and "min-block-size: 24px" in switcher
