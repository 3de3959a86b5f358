"""Every kind of reader page is valid HTML, left-to-right and right-to-left, checked
by the Nu Html Checker (vnu, from the pinned npm package vnu-jar; needs Java 17+)."""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone, translation

from frontpage.models import BreakingNews, FrontPage
from news.models import Author, DailyViews
from portal import views as portal_views
from tests.browser.conftest import HEADLINES, headline_fields, jpeg, unavailable
from tests.builders import make_article, make_author, make_category, make_tag

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CODES = ("en", "kk-arab")


def vnu_command():
    java = shutil.which("java")
    if java is None:
        unavailable("no Java: install a Java 17+ runtime to check HTML validity")
    if not VNU_JAR.is_file():
        unavailable(f"no {VNU_JAR.relative_to(settings.BASE_DIR)}: run `npm ci --ignore-scripts`")
    return [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]


@pytest.fixture
def pages(db):
    """{file name: (url, expected status)} of each kind of reader page in both directions."""
    news = make_category("news", name="News")
    make_category("politics", parent=news, name="Politics")
    tag = make_tag("senate", name="Senate")
    author = make_author("adlet", name="Adlet Seilkhanov")
    Author.objects.filter(pk=author.pk).update(bio="Political correspondent.")
    author.refresh_from_db()
    author.photo = jpeg("adlet.jpg", (120, 120))
    author.save()
    lead = make_article(
        category=news,
        tags=[tag],
        authors=[author],
        featured=True,
        slug="senate-speaker",
        dateline_city_en="Astana",
        image=jpeg(),
        image_caption_en="The meeting",
        image_credit_en="Photo: Kazinform",
        **headline_fields(CODES),
    )
    # Enough stories for a second page of the category and a related-news list.
    for _ in range(21):
        make_article("Story", codes=CODES, category=news, tags=[tag], authors=[author])
    for code in CODES:
        DailyViews.record(lead.pk, code)
        # A breaking-news banner on every page, linked to the lead story.
        BreakingNews.objects.create(
            front_page=FrontPage.objects.get_or_create(edition=code)[0],
            text=HEADLINES[code],
            article=lead,
            expires_at=timezone.now() + timedelta(hours=1),
        )
    day = timezone.localdate(lead.published_at)

    urls = {}
    for code in CODES:
        base = f"/{code}"
        urls |= {
            f"{code}-home": (f"{base}/", 200),
            f"{code}-category": (f"{base}/category/news/", 200),
            f"{code}-category-page-2": (f"{base}/category/news/?page=2", 200),
            f"{code}-article": (f"{base}/article/{lead.pk}-{lead.slug}/", 200),
            f"{code}-tag": (f"{base}/tag/senate/", 200),
            f"{code}-author": (f"{base}/author/adlet/", 200),
            f"{code}-search": (f"{base}/search/?q=story", 200),
            f"{code}-search-nothing": (f"{base}/search/?q=nothing+like+this", 200),
            f"{code}-search-empty": (f"{base}/search/", 200),
            f"{code}-404": (f"{base}/no-such-page/", 404),
            f"{code}-archive-day": (f"{base}/archive/{day:%Y/%m/%d}/", 200),
            f"{code}-archive-month": (f"{base}/archive/{day:%Y/%m}/", 200),
            f"{code}-archive-year": (f"{base}/archive/{day:%Y}/", 200),
        }
    return urls


def test_reader_pages_are_valid_html(client, pages, tmp_path):
    command = vnu_command()
    files = []
    for name, (url, status) in pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    for code in CODES:
        # The 500 page is rendered by its handler without the usual context.
        with translation.override(code):
            response = portal_views.server_error(RequestFactory().get(f"/{code}/"))
        path = tmp_path / f"{code}-500.html"
        path.write_bytes(response.content)
        files.append(path)

    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=120
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu did not report (exit {result.returncode}): {result.stderr[-2000:]}")
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} "
        f"[{m.get('extract', '').strip()[:120]}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert not problems, "\n".join(problems)
    assert result.returncode == 0
