"""Video on articles: an uploaded MP4/WebM checked by its bytes, or an embed from an allowed
host reduced to an id; a facade that loads nothing from the host; the video section;
VideoObject structured data."""

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from core.cache import bump_generation
from multimedia import embeds
from multimedia.forms import VideoAdminForm
from multimedia.models import Video
from tests.builders import image_upload, make_article, make_video

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
# The smallest files whose first bytes say what they are.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"\0" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\0" * 64
MATROSKA = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska" + b"\0" * 64
QUICKTIME = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\0" * 64


def form(article, **data):
    files = {"poster": image_upload("poster.png", (160, 90))}
    if "file" in data:
        files["file"] = data.pop("file")
    return VideoAdminForm({"article": article.pk, **data}, files)


def upload(content, name="clip.mp4", content_type="video/mp4"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"), [(MP4, "video/mp4"), (WEBM, "video/webm")], ids=["mp4", "webm"]
)
def test_real_mp4_and_webm_files_are_accepted_and_named_by_their_bytes(content, expected):
    article = make_article()
    bound = form(article, file=upload(content, name="whatever.avi"))
    assert bound.is_valid(), bound.errors
    video = bound.save()
    assert video.file_type == expected
    assert video.file.name.endswith("." + expected.split("/")[1])
    assert "whatever" not in video.file.name
    assert video.poster.name.startswith("video/posters/")


@pytest.mark.parametrize(
    "content",
    [
        image_upload().read(),
        b"<html><script>alert(1)</script></html>",
        MATROSKA,
        QUICKTIME,
        b"",
        MP4[:10],
    ],
    ids=["png-named-mp4", "html", "matroska", "quicktime", "empty", "truncated"],
)
def test_files_that_are_not_mp4_or_webm_are_refused_whatever_their_name(content):
    article = make_article()
    bound = form(article, file=upload(content, name="clip.mp4"))
    assert not bound.is_valid()
    assert bound.errors["file"]
    assert not Video.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.VIDEO_MAX_MB = 1
    article = make_article()
    bound = form(article, file=upload(MP4 + b"\0" * (1024 * 1024)))
    assert not bound.is_valid()
    assert "at most 1 MB" in bound.errors["file"][0]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=4", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871?h=1", ("vimeo", "76979871")),
    ],
)
def test_addresses_on_allowed_hosts_are_reduced_to_an_id(address, expected):
    assert embeds.parse(address) == expected


@pytest.mark.parametrize(
    "address",
    [
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/?u=https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "https://youtu.be/dQw4w9WgXcQ\n<script>",
        "x" * 2000,
    ],
)
def test_other_addresses_and_html_are_refused_with_a_form_error(address):
    article = make_article()
    bound = form(article, embed_address=address)
    assert not bound.is_valid()
    assert "allowed host" in bound.errors["embed_address"][0]


def test_an_embed_stores_only_the_host_and_the_id():
    article = make_article()
    bound = form(article, embed_address="https://youtu.be/dQw4w9WgXcQ?t=10")
    assert bound.is_valid(), bound.errors
    video = bound.save()
    assert (video.provider, video.video_id, video.file.name) == ("youtube", "dQw4w9WgXcQ", "")
    again = VideoAdminForm(instance=video)
    assert again.initial["embed_address"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_a_file_and_an_address_together_or_neither_are_refused():
    article = make_article()
    both = form(article, file=upload(MP4), embed_address="https://youtu.be/dQw4w9WgXcQ")
    assert not both.is_valid() and both.non_field_errors()
    neither = form(article)
    assert not neither.is_valid() and neither.non_field_errors()


def test_a_poster_that_is_not_an_image_is_refused():
    article = make_article()
    bound = VideoAdminForm(
        {"article": article.pk, "embed_address": "https://youtu.be/dQw4w9WgXcQ"},
        {"poster": SimpleUploadedFile("poster.jpg", b"not an image", content_type="image/jpeg")},
    )
    assert not bound.is_valid()
    assert bound.errors["poster"]


def tree_of(response):
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def test_embed_is_a_facade_that_names_no_player_before_play(client):
    article = make_article()
    video = make_video(article)
    tree = tree_of(client.get(article.get_absolute_url()))
    assert not tree.xpath("//iframe")
    [facade] = tree.xpath('//div[@class="video-facade"]')
    assert (
        facade.get("data-embed") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    # Without JavaScript: a link to the video on its host; the poster is our own cleaned copy.
    assert facade.xpath('.//a[@class="video-play"]/@href') == [video.watch_url]
    assert all(src.startswith("/media/") for src in facade.xpath(".//img/@src"))
    assert tree.xpath('//script[contains(@src, "js/video")]')
    # Nothing on the page comes from the host: no image, script, style or preconnect.
    for attribute in ("src", "srcset", "href"):
        external = [
            value for value in tree.xpath(f"//*[not(self::a)]/@{attribute}") if "youtube" in value
        ]
        assert external == []


def test_uploaded_file_plays_in_the_page_and_loads_nothing_before_play(client):
    article = make_article(image=image_upload("lead.png"))
    make_video(article, file=upload(MP4))
    tree = tree_of(client.get(article.get_absolute_url()))
    # The video takes the lead image's place.
    assert not tree.xpath('//figure[@class="lead-image"]')
    [player] = tree.xpath("//video")
    assert player.get("preload") == "none" and player.get("controls") is not None
    assert player.xpath("./source/@type") == ["video/mp4"]
    assert player.get("poster").startswith("/media/video/posters/")
    assert not tree.xpath('//script[contains(@src, "js/video")]')


def test_uploaded_video_is_served_to_play_inline(client):
    video = make_video(make_article(), file=upload(WEBM, name="clip.webm"))
    response = client.get(video.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/webm"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_video_object_structured_data_matches_its_schema(client):
    schema = json.loads((SCHEMAS / "video-object.schema.json").read_text())
    embedded = make_article(lead="What happened")
    make_video(embedded)
    uploaded = make_article()
    make_video(uploaded, file=upload(WEBM, name="x.webm"))
    Video.objects.filter(article=uploaded).update(duration=timedelta(minutes=2, seconds=5))
    for article in (embedded, uploaded):
        tree = tree_of(client.get(article.get_absolute_url()))
        blocks = [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]
        [data] = [b for b in blocks if b["@type"] == "VideoObject"]
        jsonschema.validate(data, schema)
        assert data["name"] == article.title
    assert data["duration"] == "PT0H2M5S"
    assert data["contentUrl"].startswith(settings.SITE_URL)


def test_article_without_video_has_no_video_markup_or_data(client):
    article = make_article()
    tree = tree_of(client.get(article.get_absolute_url()))
    assert not tree.xpath('//figure[@class="video"]')
    assert "VideoObject" not in html.tostring(tree).decode()


def test_video_section_lists_the_editions_articles_with_video_newest_first(client):
    old = make_article(codes=("en", "kk"))
    make_video(old)
    Video.objects.update()
    new = make_article(codes=("en",))
    make_video(new, provider="vimeo", video_id="76979871")
    make_article(codes=("en",))  # no video
    draft = make_article(status="draft")
    make_video(draft)
    tree = tree_of(client.get(reverse("multimedia:videos")))
    titles = [a.text for a in tree.xpath("//main//article[@class='card']//h2/a")]
    assert titles == [new.title, old.title]
    kk = tree_of(client.get("/kk/video/"))
    assert [a.text for a in kk.xpath("//main//article[@class='card']//h2/a")] == [old.title_kk]


def test_video_section_and_article_keep_query_budgets(client):
    for _ in range(25):
        make_video(make_article())
    article = make_article()
    make_video(article)

    def count(url):
        client.get(url)
        bump_generation()
        client.get("/en/no-such-page/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert count("/en/video/") <= 8
    assert count("/en/video/?page=2") <= 8
    assert count(article.get_absolute_url()) <= 14


def test_frame_src_allows_exactly_the_players_of_the_allowed_hosts(client):
    policy = client.get("/en/").headers["Content-Security-Policy"]
    frame_src = next(d for d in policy.split(";") if d.strip().startswith("frame-src")).split()[1:]
    players = {
        "https://" + provider["embed"].split("/")[2]
        for provider in settings.VIDEO_EMBED_PROVIDERS.values()
    }
    assert players <= set(frame_src)
    assert "*" not in frame_src and "https:" not in frame_src
