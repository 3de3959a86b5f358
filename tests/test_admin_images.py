"""Lead-image uploads: checked with Pillow, cleaned, renamed, rendered in several widths."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from news import images
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, make_staff
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db


def picture_bytes(size=(1600, 900), fmt="JPEG", exif_orientation=None, colour=(200, 30, 30)):
    image = Image.new("RGB", size, colour)
    # A marker in the top-left corner tells which way up the stored image is.
    image.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    buffer = io.BytesIO()
    options = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "SecretCam"  # Make: metadata that must not survive
        options["exif"] = exif
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


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
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))


def upload(client, name, content, content_type="image/jpeg"):
    data = article_form_data(make_category(), image=SimpleUploadedFile(name, content, content_type))
    return client.post(add_url(), data)


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_real_jpeg_is_stored_upright_without_metadata_under_a_random_name(
    client, chief, settings
):
    # Orientation 6: the camera held sideways; the stored image must be portrait.
    content = picture_bytes((1600, 900), exif_orientation=6)
    response = upload(client, "../../etc/passwd holiday.JPG", content)
    assert response.status_code == 302
    article = Article.objects.get()
    name = Path(article.image.name)
    assert name.parent.parts[0] == "articles"
    assert "passwd" not in name.name and "holiday" not in name.name
    assert name.suffix == ".jpg" and len(name.stem) == 32
    assert (article.image_width, article.image_height) == (900, 1600)
    with Image.open(article.image.path) as stored:
        assert stored.size == (900, 1600)
        assert not stored.getexif()
        assert b"SecretCam" not in Path(article.image.path).read_bytes()


def test_renditions_are_made_in_webp_and_jpeg_never_wider_than_the_original(
    client, chief, settings
):
    assert (
        upload(client, "photo.png", picture_bytes((1000, 500), "PNG"), "image/png").status_code
        == 302
    )
    article = Article.objects.get()
    stem = Path(article.image.path).with_suffix("")
    for width in (320, 640, 960, 1000):
        for extension, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            with Image.open(f"{stem}-{width}w.{extension}") as rendition:
                assert rendition.format == fmt
                assert rendition.size == (width, width // 2)
    assert not Path(f"{stem}-1280w.webp").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.jpg", b"Minutes of the meeting, not a picture.\n" * 50, "valid image"),
        ("broken.jpg", picture_bytes((1600, 900))[:4000], "damaged"),
        ("bomb.png", png_header_only(30000, 30000), "valid image"),  # Pillow's own bomb guard
        ("huge.png", png_header_only(8000, 6000), "megapixels"),  # 48 MP: over our limit
        ("real.gif", picture_bytes((64, 64), "GIF"), "JPEG, PNG or WebP"),
    ],
)
def test_bad_uploads_get_a_form_error_and_nothing_is_stored(
    client, chief, settings, name, content, message
):
    response = upload(client, name, content)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["image"]
    assert message in " ".join(errors), errors
    assert not Article.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_20_mb_is_refused_before_decoding(client, chief, settings):
    padded = picture_bytes((64, 64)) + b"\0" * (images.MAX_BYTES + 1)
    response = upload(client, "big.jpg", padded)
    assert "at most 20 MB" in " ".join(response.context["adminform"].form.errors["image"])
    assert stored_files(settings) == []


def test_images_saved_outside_the_admin_get_renditions_once(settings):
    # As the demo loader does it: save the file on the field, then the article.
    article = make_article()
    article.image.save("demo.jpg", ContentFile(picture_bytes((700, 400))), save=False)
    article.save()
    made = stored_files(settings)
    stem = Path(article.image.path).with_suffix("")
    # A 700-pixel original: 320 and 640, then the original width instead of 960; its
    # 3:2 crop is 600 pixels wide, its 16:9 crop the full width, both about the centre.
    widths = {"": (320, 640, 700), "-3x2-f500x500": (320, 600), "-16x9-f500x500": (320, 640, 700)}
    assert made == sorted(
        [Path(article.image.path)]
        + [
            Path(f"{stem}{crop}-{w}w.{ext}")
            for crop, sizes in widths.items()
            for w in sizes
            for ext in ("jpg", "webp")
        ]
    )
    before = {p: p.stat().st_mtime_ns for p in made}
    article.save()
    assert {p: p.stat().st_mtime_ns for p in stored_files(settings)} == before


def test_reader_pages_use_srcset_sizes_and_dimensions(client, settings):
    article = make_article(featured=True)
    article.image.save("x.jpg", ContentFile(picture_bytes((1200, 675))), save=False)
    article.save()
    base = article.image.url.rsplit(".", 1)[0]
    # The home page's lead story shows the 16:9 crop, here the whole 16:9 picture.
    for url, stem in ((article.get_absolute_url(), base), ("/en/", f"{base}-16x9-f500x500")):
        html = client.get(url).content.decode()
        assert (
            f'<source type="image/webp" srcset="{stem}-320w.webp 320w, {stem}-640w.webp 640w, '
            f'{stem}-960w.webp 960w, {stem}-1200w.webp 1200w" sizes="' in html
        )
        assert f'{stem}-1200w.jpg 1200w" sizes="' in html
        assert 'width="1200" height="675"' in html
