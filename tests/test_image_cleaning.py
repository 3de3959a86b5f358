"""One cleaning path for every image field, and video embeds checked by parsed address."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms

from news.models import Article, Author
from news.sanitize import clean_html
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, make_staff
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"
SECRETS = (SCRIPT, b"SecretCam", b"SECRET-XMP", b"43.2567")
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (43.0, 15.0, 24.12)  # where the photo was taken
    gps[3], gps[4] = "E", (76.0, 57.0, 0.0)
    exif[0x9286] = "43.2567"  # UserComment
    return exif


def hostile_picture(fmt, size=(400, 300)):
    """A real picture carrying everything that must not be stored: EXIF with GPS, XMP,
    an ICC profile, and a <script> in a comment or text chunk."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP' + SCRIPT + b"</x:xmpmeta>"
    options = {"exif": exif_with_gps(), "icc_profile": SRGB_ICC, "xmp": xmp}
    if fmt == "JPEG":
        options["comment"] = SCRIPT
    elif fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Comment", SCRIPT.decode())
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
        options["pnginfo"] = info
        del options["xmp"]
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    data = buffer.getvalue()
    assert all(secret in data for secret in SECRETS[:2])  # the attack is really in the file
    return data


def jpeg_markers(data):
    """The JPEG segment markers before the image data, e.g. [0xE0, 0xDB, 0xC0, …]."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: compressed data follows
            return markers
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(data[position + 4 : position + 8].decode("ascii"))
        position += 12 + length
    return chunks


def webp_chunks(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, position = [], 12
    while position < len(data):
        kind = data[position : position + 4].decode("ascii")
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        chunks.append(kind)
        position += 8 + length + (length & 1)
    return chunks


def assert_only_pixels(path):
    data = Path(path).read_bytes()
    for secret in SECRETS:
        assert secret not in data, secret
    with Image.open(path) as image:
        assert not image.getexif()
        assert "icc_profile" not in image.info and "comment" not in image.info
        image_format = image.format
    if image_format == "JPEG":
        # APP0 (JFIF) only: no APP1 (EXIF, XMP), APP2 (ICC) or COM (0xFE) segment.
        assert set(jpeg_markers(data)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDA}, jpeg_markers(data)
    elif image_format == "PNG":
        assert set(png_chunks(data)) <= {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}, png_chunks(data)
    else:
        assert set(webp_chunks(data)) <= {"VP8 ", "VP8L", "VP8X", "ALPH"}, webp_chunks(data)


def png_header_only(width, height):
    """A PNG that claims `width`×`height` pixels: a decompression bomb's header."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))


def upload_lead_image(client, name, content):
    data = article_form_data(make_category(), image=SimpleUploadedFile(name, content))
    return client.post(add_url(), data)


def upload_author_photo(client, name, content):
    data = {"slug": "adlet", "name_en": "Adlet", "photo": SimpleUploadedFile(name, content)}
    return client.post(reverse("admin:news_author_add"), data)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_lead_image_is_stored_as_pixels_only(client, chief, settings, fmt):
    response = upload_lead_image(client, "../my holiday.jpg", hostile_picture(fmt))
    assert response.status_code == 302
    article = Article.objects.get()
    assert_only_pixels(article.image.path)
    # Renditions are made from the clean original and carry nothing either.
    for rendition in stored_files(settings):
        assert_only_pixels(rendition)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_author_photo_is_cleaned_like_a_lead_image(client, chief, settings, fmt):
    name = "../../Adlet at home in Almaty.jpg"
    response = upload_author_photo(client, name, hostile_picture(fmt))
    assert response.status_code == 302
    photo = Author.objects.get().photo
    assert re.fullmatch(r"authors/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp)", photo.name), photo.name
    assert "Adlet" not in photo.name and "home" not in photo.name
    assert_only_pixels(photo.path)
    assert stored_files(settings) == [Path(photo.path)]


def test_a_jpeg_comment_holding_a_script_never_reaches_a_reader(client, chief, settings):
    upload_author_photo(client, "face.jpg", hostile_picture("JPEG"))
    author = Author.objects.get()
    make_article(authors=[author])
    client.logout()
    html = client.get(author.get_absolute_url()).content.decode()
    (src,) = re.findall(r'<img src="([^"]+)"', html)
    served = b"".join(client.get(src).streaming_content)
    assert SCRIPT not in served
    assert 0xFE not in jpeg_markers(served)


def test_an_author_photo_over_the_pixel_limit_is_refused(client, chief, settings):
    # 144 megapixels: above our limit and in the range where Pillow only warns.
    response = upload_author_photo(client, "huge.png", png_header_only(12000, 12000))
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["photo"]
    assert "too large" in error or "megapixels" in error
    assert not Author.objects.exists()
    assert stored_files(settings) == []


def test_an_image_saved_outside_the_admin_goes_through_the_same_cleaning(settings):
    author = Author.objects.create(slug="shell", name_en="Shell")
    author.photo.save("passport scan.jpg", ContentFile(hostile_picture("JPEG")))
    author.refresh_from_db()
    assert "passport" not in author.photo.name
    assert_only_pixels(author.photo.path)

    article = make_article()
    article.image = SimpleUploadedFile("x.png", hostile_picture("PNG"))
    article.save()
    assert article.image.name.endswith(".png")
    assert_only_pixels(article.image.path)


def test_a_file_that_is_not_an_image_is_refused_however_it_is_saved(settings):
    author = Author.objects.create(slug="shell", name_en="Shell")
    with pytest.raises(ValidationError):
        author.photo.save("notes.jpg", ContentFile(b"<html><script>alert(1)</script></html>"))
    assert stored_files(settings) == []


def test_a_png_in_disguise_is_stored_under_its_true_format(settings):
    author = Author.objects.create(slug="shell", name_en="Shell")
    author.photo.save("photo.jpg", ContentFile(hostile_picture("PNG")))
    assert author.photo.name.endswith(".png")
    with Image.open(author.photo.path) as image:
        assert image.format == "PNG"


def test_colours_are_kept_when_the_profile_is_dropped(settings):
    author = Author.objects.create(slug="shell", name_en="Shell")
    author.photo.save("red.png", ContentFile(hostile_picture("PNG")))
    with Image.open(author.photo.path) as image:
        assert image.getpixel((300, 200)) == (200, 30, 30)
        assert image.getpixel((10, 10)) == (0, 0, 255)


@pytest.mark.parametrize(
    "address",
    [
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30&rel=0",
        "https://player.vimeo.com/video/76979871",
        "https://player.vimeo.com/video/76979871?h=8272103f6e",
    ],
)
def test_real_player_addresses_are_embedded(address):
    html = clean_html(f'<iframe src="{address}" title="Video"></iframe>')
    assert f'src="{address.replace("&", "&amp;")}"' in html


@pytest.mark.parametrize(
    "address",
    [
        "https://www.youtube.com/embed/../../redirect?q=https://evil.example/",
        "https://www.youtube.com/embed/dQw4w9WgXcQ/../../redirect?q=https://evil.example/",
        "https://www.youtube.com/embed/%2e%2e/redirect?q=https://evil.example/",
        "https://www.youtube.com/embed/dQw4w9WgXcQ?redirect=https://evil.example/",
        "https://www.youtube.com/embed/dQw4w9WgXcQ?start=1&start=2",
        "https://www.youtube.com/embed/dQw4w9WgXcQ#https://evil.example/",
        "https://www.youtube.com/embed/dQw4w9WgXcQ\\@evil.example/",
        "https://www.youtube.com@evil.example/embed/dQw4w9WgXcQ",
        "https://www.youtube.com:8443/embed/dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ",
        "https://WWW.YOUTUBE.COM.evil.example/embed/dQw4w9WgXcQ",
        "http://www.youtube.com/embed/dQw4w9WgXcQ",
        "//www.youtube.com/embed/dQw4w9WgXcQ",
        "javascript:alert(1)//https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ/extra",
        "https://www.youtube.com/embed/",
        "https://player.vimeo.com/video/1/../../../redirect",
        "https://player.vimeo.com/video/76979871?h=<script>",
        "https://www.youtube.com/embed/dQw4w9WgXc\tQ",
    ],
)
def test_embeds_outside_the_players_exact_addresses_are_dropped(address):
    html = clean_html(f'<iframe src="{address}" title="Video"></iframe>')
    assert "src=" not in html, html
