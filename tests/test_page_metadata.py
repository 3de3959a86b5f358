"""What search engines and social networks read in a page's <head>."""

import json
import re
from datetime import datetime
from html import unescape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests.builders import make_article, make_author, make_category, make_tag
from tests.test_feeds import png

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
OFFSET = re.compile(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    return html[html.index("<head>") : html.index("</head>")]


def links(html, rel):
    found = re.findall(f'<link rel="{rel}"([^>]*)>', html)
    return [dict(re.findall(r'([\w:-]+)="([^"]*)"', attrs)) for attrs in found]


def meta(html, key):
    found = re.findall(f'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return [unescape(value) for value in found]


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, blocks)}


def path(url):
    return urlsplit(url).path


def widest_jpeg(article):
    """The address of the 1200-pixel JPEG rendition of the article's 1200×630 image,
    written out from the stored name (articles/YYYY/MM/<random>.png)."""
    name = article.image.name
    assert re.fullmatch(r"articles/\d{4}/\d\d/[\w-]+\.png", name), name
    return f"http://testserver/media/{name.removesuffix('.png')}-1200w.jpg"


@pytest.fixture
def article():
    news = make_category("news", name="News")
    parliament = make_category("parliament", parent=news, name="Parliament")
    return make_article(
        "Speaker meets ambassador",
        codes=("en", "ru", "kk-latn"),
        category=parliament,
        tags=[make_tag("senate", name="Senate"), make_tag("diplomacy", name="Diplomacy")],
        authors=[make_author("adlet", name="Adlet Seilkhanov")],
        published_at=datetime(2021, 4, 23, 16, 38, tzinfo=ALMATY),
        slug="speaker",
        image=png(size=(1200, 630)),
        image_caption_en="The meeting",
        image_alt_en="Two men shake hands in front of two flags",
    )


def test_article_json_ld_has_every_required_field(client, article):
    data = json_ld(head(client, article.get_absolute_url()))["NewsArticle"]
    url = f"http://testserver/en/article/{article.pk}-speaker/"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == article.title_en
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == "2021-04-23T16:38:00+06:00"  # UTC+6 in April 2021
    assert OFFSET.search(data["dateModified"])
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Adlet Seilkhanov [en]",
            "url": "http://testserver/en/author/adlet/",
        }
    ]
    (image,) = data["image"]
    assert image == widest_jpeg(article)
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Kazinform"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)
    assert client.get(path(publisher["logo"]["url"])).status_code == 200
    assert data["inLanguage"] == "en"
    assert data["articleSection"] == "Parliament [en]"
    assert sorted(data["keywords"]) == ["Diplomacy [en]", "Senate [en]"]


def test_json_ld_speaks_the_editions_language(client, article):
    data = json_ld(head(client, f"/kk-latn/article/{article.pk}-speaker/"))["NewsArticle"]
    assert data["inLanguage"] == "kk-Latn"
    assert data["headline"] == article.title_kk_latn
    assert data["articleSection"] == "Parliament [kk-latn]"


def test_article_without_author_is_credited_to_the_agency(client):
    article = make_article()
    data = json_ld(head(client, article.get_absolute_url()))["NewsArticle"]
    assert data["author"][0]["@type"] == "Organization"
    assert data["author"][0]["name"] == "Kazinform"


def test_breadcrumb_list_follows_the_category_path(client, article):
    data = json_ld(head(client, article.get_absolute_url()))["BreadcrumbList"]
    trail = [
        (item["position"], item["name"], path(item["item"])) for item in data["itemListElement"]
    ]
    assert trail == [
        (1, "Main Page", "/en/"),
        (2, "News [en]", "/en/category/news/"),
        (3, "Parliament [en]", "/en/category/parliament/"),
        (4, article.title_en, article.get_absolute_url()),
    ]
    for _position, _name, url in trail:
        assert client.get(url).status_code == 200


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    article = make_article(title_en="</script><script>alert(1)</script>", body_en="<p>x</p>")
    html = head(client, article.get_absolute_url())
    assert "<script>alert(1)" not in html
    assert json_ld(html)["NewsArticle"]["headline"] == "</script><script>alert(1)</script>"


def test_article_has_open_graph_and_twitter_cards_with_the_lead_image(client, article):
    html = head(client, article.get_absolute_url())
    image = widest_jpeg(article)
    assert client.get(path(image)).status_code == 200  # the rendition was written
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == [article.title_en]
    assert meta(html, "og:description") == [article.lead_en]
    assert meta(html, "og:url") == [f"http://testserver/en/article/{article.pk}-speaker/"]
    assert meta(html, "og:site_name") == ["Kazinform"]
    assert meta(html, "og:locale") == ["en"]
    assert sorted(meta(html, "og:locale:alternate")) == ["kk_Latn", "ru"]
    assert meta(html, "og:image") == [image]
    assert meta(html, "og:image:width") == ["1200"]
    assert meta(html, "og:image:height") == ["630"]
    # The alt text, not the caption.
    assert meta(html, "og:image:alt") == ["Two men shake hands in front of two flags"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "twitter:image") == [image]
    assert meta(html, "article:published_time") == ["2021-04-23T16:38:00+06:00"]
    assert sorted(meta(html, "article:tag")) == ["Diplomacy [en]", "Senate [en]"]


def test_title_and_description_are_in_the_editions_language(client, article):
    html = head(client, f"/ru/article/{article.pk}-speaker/")
    assert f"<title>{article.title_ru} | " in html
    assert f'<meta name="description" content="{article.lead_ru}">' in html
    assert meta(html, "og:title") == [article.title_ru]


def test_article_canonical_and_hreflang_name_only_its_editions(client, article):
    html = head(client, f"/ru/article/{article.pk}-speaker/")
    (canonical,) = links(html, "canonical")
    assert canonical["href"] == f"http://testserver/ru/article/{article.pk}-speaker/"
    alternates = {
        link["hreflang"]: link["href"] for link in links(html, "alternate") if "hreflang" in link
    }
    assert set(alternates) == {"en", "ru", "kk-Latn", "x-default"}
    assert alternates["x-default"] == alternates["en"]
    for url in [canonical["href"], *alternates.values()]:
        assert client.get(path(url)).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    ["/en/", "/kk-arab/", "/en/category/news/", "/en/tag/senate/", "/en/author/adlet/"],
)
def test_reader_pages_have_canonical_and_answering_hreflang_links(client, article, url):
    html = head(client, url)
    (canonical,) = links(html, "canonical")
    assert path(canonical["href"]) == url
    alternates = [link for link in links(html, "alternate") if "hreflang" in link]
    assert alternates[-1]["hreflang"] == "x-default"
    # The builders name subjects in all seven editions; a tag or author page
    # exists only where a published article carries it (here en, ru, kk-latn).
    assert len(alternates) == (4 if "/tag/" in url or "/author/" in url else 8)
    for link in alternates:
        assert client.get(path(link["href"])).status_code == 200, link


def test_later_pages_of_a_list_are_their_own_canonical(client):
    news = make_category("news")
    for _ in range(21):
        make_article(category=news)
    html = head(client, "/en/category/news/?page=2")
    (canonical,) = links(html, "canonical")
    assert canonical["href"] == "http://testserver/en/category/news/?page=2"
    assert not [link for link in links(html, "alternate") if "hreflang" in link]


def test_every_page_links_the_edition_feed_and_category_pages_their_own(client, article):
    home = links(head(client, "/ru/"), "alternate")
    feeds = [link for link in home if link.get("type") == "application/rss+xml"]
    assert [path(link["href"]) for link in feeds] == ["/ru/rss/"]

    category = links(head(client, "/en/category/news/"), "alternate")
    feeds = [link for link in category if link.get("type") == "application/rss+xml"]
    assert [path(link["href"]) for link in feeds] == ["/en/rss/", "/en/category/news/rss/"]
    assert feeds[1]["title"] == "News [en] | Kazinform"
    for link in feeds:
        assert client.get(path(link["href"])).status_code == 200


def test_not_found_page_has_no_canonical(client):
    response = client.get("/en/article/999999-missing/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()


def test_an_article_with_an_image_and_one_with_as_many_tags_instead_each_show_their_own(client):
    """The meta tags' markup is kept per shape of page (render_slotted): an image's four
    values and four tags fill as many slots, and neither may show the other's markup."""
    pictured = make_article("Pictured", image=png(size=(1200, 630)), image_alt_en="A view")
    tagged = make_article(
        "Tagged", tags=[make_tag(f"topic-{n}", name=f"Topic {n}") for n in range(4)]
    )
    pictured_html = head(client, pictured.get_absolute_url())
    tagged_html = head(client, tagged.get_absolute_url())
    assert meta(pictured_html, "og:image:alt") == ["A view"]
    assert meta(pictured_html, "article:tag") == []
    assert meta(tagged_html, "og:image") == []
    assert meta(tagged_html, "twitter:card") == ["summary"]
    assert sorted(meta(tagged_html, "article:tag")) == [f"Topic {n} [en]" for n in range(4)]
