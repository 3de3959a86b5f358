"""Photo galleries: their own page in each edition, a list, a feed, the sitemaps, a place
under an article, and a page that is a plain list of figures without JavaScript."""

import json
import re
from datetime import timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from core.cache import bump_generation
from multimedia.models import Photo
from news.images import rendition_name
from tests.builders import make_article, make_gallery

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"


def page(response):
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def json_ld(tree, kind):
    blocks = [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]
    return [block for block in blocks if block["@type"] == kind]


def test_gallery_page_without_javascript_is_a_list_of_figures_in_order(client):
    gallery = make_gallery(photos=4)
    tree = page(client.get(gallery.get_absolute_url()))
    figures = tree.xpath('//section[@data-gallery]//ol[@class="gallery-photos"]/li/figure')
    assert [f.xpath("string(.//p[@class='caption'])") for f in figures] == [
        "1 [en]", "2 [en]", "3 [en]", "4 [en]"
    ]  # fmt: skip
    assert [f.xpath("string(.//p[@class='credit'])") for f in figures][0] == "© 1 [en]"
    assert [f.xpath("string(.//img/@alt)") for f in figures][2] == "alt 3 [en]"
    # Every photo is in the page; none is hidden, and no viewer control exists until the script.
    assert not tree.xpath("//section[@data-gallery]//button")
    # The page's own heading names the gallery; the viewer repeats no heading of its own.
    [section] = tree.xpath("//section[@data-gallery]")
    assert tree.xpath(f'//h1[@id="{section.get("aria-labelledby")}"]/text()') == [gallery.title]
    assert not section.xpath(".//h2")
    assert tree.xpath('//script[contains(@src, "js/gallery")]')
    assert not tree.xpath("//script[not(@src) and not(@type='application/ld+json')]")


def test_only_the_first_photo_loads_eagerly(client):
    gallery = make_gallery(photos=3)
    tree = page(client.get(gallery.get_absolute_url()))
    loading = [img.get("loading") for img in tree.xpath("//ol[@class='gallery-photos']//img")]
    assert loading == [None, "lazy", "lazy"]


def test_photos_go_through_image_cleaning_and_get_renditions(client):
    gallery = make_gallery(photos=1)
    photo = gallery.photos.get()
    assert photo.image.name.startswith("galleries/") and photo.image.name.endswith(".png")
    webp = rendition_name(photo.image.name, photo.image_width, "webp")
    assert photo.image.storage.exists(webp)
    tree = page(client.get(gallery.get_absolute_url()))
    assert tree.xpath(f'//source[@type="image/webp" and contains(@srcset, "{webp}")]')


def test_viewer_counter_is_translated_for_the_script(client):
    gallery = make_gallery(photos=2, codes=("en", "zh-hans", "kk-arab"))
    for code, counter in (("en", "{current} / {total}"), ("zh-hans", "{current}／{total}")):
        tree = page(client.get(f"/{code}/galleries/{gallery.slug}/"))
        section = tree.xpath("//section[@data-gallery]")[0]
        assert section.get("data-counter") == counter
        assert section.get("data-next") and section.get("data-previous")
    arab = page(client.get(f"/kk-arab/galleries/{gallery.slug}/"))
    assert arab.xpath("//section[@data-gallery]")[0].get("data-next") != "Next photo"


def test_gallery_exists_only_in_editions_with_its_title(client):
    gallery = make_gallery(codes=("en", "ru"))
    assert client.get(f"/ru/galleries/{gallery.slug}/").status_code == 200
    assert client.get(f"/kk/galleries/{gallery.slug}/").status_code == 404
    tree = page(client.get(f"/en/galleries/{gallery.slug}/"))
    assert {
        link.get("hreflang") for link in tree.xpath('//link[@rel="alternate" and @hreflang]')
    } >= {"en", "ru"}


def test_draft_and_future_galleries_are_not_shown_until_published(client):
    draft = make_gallery(status="draft")
    later = make_gallery(published_at=timezone.now() + timedelta(hours=2))
    for gallery in (draft, later):
        assert client.get(gallery.get_absolute_url()).status_code == 404
    listing = client.get("/en/galleries/").content.decode()
    assert draft.title not in listing and later.title not in listing
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        bump_generation()
        assert client.get(later.get_absolute_url()).status_code == 200


def test_unknown_or_hostile_gallery_addresses_are_404(client):
    for path in ("/en/galleries/nope/", "/en/galleries/%3Cscript%3E/", "/en/galleries/a..b/"):
        assert client.get(path).status_code == 404


def test_gallery_list_shows_newest_first_with_a_cover(client):
    older = make_gallery(published_at=timezone.now() - timedelta(days=2))
    newer = make_gallery()
    tree = page(client.get("/en/galleries/"))
    titles = [a.text for a in tree.xpath("//main//article[@class='card']//h2/a")]
    assert titles == [newer.title, older.title]
    cover = newer.photos.order_by("position").first()
    assert tree.xpath(f'//main//img[contains(@src, "{cover.image.name}")]')


def test_gallery_placed_in_an_article_is_shown_under_its_body(client):
    article = make_article()
    gallery = make_gallery(photos=2, article=article)
    make_gallery(article=article, status="draft")  # not for readers yet
    tree = page(client.get(article.get_absolute_url()))
    sections = tree.xpath("//article//div[@class='body']/following-sibling::section[@data-gallery]")
    assert len(sections) == 1
    assert sections[0].xpath("string(.//h2)").strip() == gallery.title
    assert [img.get("loading") for img in sections[0].xpath(".//img")] == ["lazy", "lazy"]
    assert tree.xpath('//script[contains(@src, "js/gallery")]')


def test_article_without_gallery_loads_no_gallery_script(client):
    article = make_article()
    tree = page(client.get(article.get_absolute_url()))
    assert not tree.xpath("//section[@data-gallery]")
    assert not tree.xpath('//script[contains(@src, "js/gallery")]')


def test_gallery_page_links_its_article_only_where_readers_can_open_it(client):
    article = make_article(codes=("en",))
    gallery = make_gallery(codes=("en", "ru"), article=article)
    assert article.get_absolute_url() in client.get(gallery.get_absolute_url()).content.decode()
    russian = client.get(f"/ru/galleries/{gallery.slug}/").content.decode()
    assert f"/article/{article.pk}-" not in russian


def test_image_gallery_structured_data_matches_its_schema(client):
    gallery = make_gallery(photos=3)
    tree = page(client.get(gallery.get_absolute_url()))
    [data] = json_ld(tree, "ImageGallery")
    schema = json.loads((SCHEMAS / "image-gallery.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["name"] == gallery.title
    assert [m["caption"] for m in data["associatedMedia"]] == ["1 [en]", "2 [en]", "3 [en]"]
    assert data["associatedMedia"][0]["creditText"] == "© 1 [en]"


def test_gallery_feed_lists_published_galleries_with_a_cover_enclosure(client):
    gallery = make_gallery()
    make_gallery(status="draft")
    response = client.get("/en/galleries/rss/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert [entry.title for entry in feed.entries] == [gallery.title]
    assert feed.entries[0].enclosures[0]["type"] == "image/png"
    assert client.get("/en/galleries/rss/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_galleries_are_in_the_sitemaps_of_their_editions(client):
    gallery = make_gallery(codes=("en", "kk"))
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-galleries-en.xml" in index and "sitemap-galleries-kk.xml" in index
    assert "sitemap-galleries-ru.xml" not in index
    section = client.get("/sitemap-galleries-kk.xml").content.decode()
    assert f"/kk/galleries/{gallery.slug}/" in section
    assert 'hreflang="en"' in section


def test_editing_a_gallery_shows_at_once_on_cached_pages(client):
    gallery = make_gallery()
    assert gallery.title in client.get("/en/galleries/").content.decode()
    gallery.title_en = "Renamed gallery"
    gallery.save()
    assert "Renamed gallery" in client.get("/en/galleries/").content.decode()


def queries(client, url):
    client.get(url)
    bump_generation()
    client.get("/en/no-such-page/")  # refills the fragments every page shares
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_gallery_pages_keep_their_query_budgets_however_many_photos(client):
    small = make_gallery(photos=2)
    large = make_gallery(photos=12)
    for _ in range(15):
        make_gallery(photos=2)
    budget = {"page": 8, "list": 8}
    counts = {
        "small": queries(client, small.get_absolute_url()),
        "large": queries(client, large.get_absolute_url()),
        "list": queries(client, "/en/galleries/"),
    }
    assert counts["small"] == counts["large"] <= budget["page"], counts
    assert counts["list"] <= budget["list"], counts


def test_article_page_with_a_gallery_keeps_its_budget(client):
    article = make_article()
    make_gallery(photos=2, article=article)
    few = queries(client, article.get_absolute_url())
    make_gallery(photos=10, article=article)
    assert queries(client, article.get_absolute_url()) == few


def test_photo_order_follows_position_not_upload_order(client):
    gallery = make_gallery(photos=3)
    Photo.objects.filter(gallery=gallery, position=3).update(position=0)
    tree = page(client.get(gallery.get_absolute_url()))
    captions = tree.xpath("//ol[@class='gallery-photos']//p[@class='caption']/text()")
    assert captions == ["3 [en]", "1 [en]", "2 [en]"]
    assert re.search(r"\b3 photos\b", tree.xpath("string(//main//p[@class='meta'])"))


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-1", "page=99999", "page=1e9"])
def test_bad_page_numbers_of_the_lists_are_404_not_errors(client, query):
    make_gallery()
    for path in ("/en/galleries/", "/en/video/"):
        assert client.get(f"{path}?{query}").status_code == 404, path


def test_gallery_list_announces_its_feed(client):
    make_gallery()
    tree = page(client.get("/en/galleries/"))
    feeds = tree.xpath('//link[@rel="alternate" and @type="application/rss+xml"]/@href')
    [link] = [href for href in feeds if href.endswith("/en/galleries/rss/")]
    assert link.startswith("http")
