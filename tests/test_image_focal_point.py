"""The focal point: every cropped rendition keeps it in view, wherever the editor clicked."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from news import images
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, change_url, form_data_of, make_staff
from tests.builders import make_article, make_author

pytestmark = pytest.mark.django_db

EXTREMES = [(0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0), (0.5, 0.5), (0.97, 0.03)]
SHAPES = [(1600, 900), (900, 1600), (1000, 1000), (4000, 300), (300, 4000), (7, 5)]


@pytest.mark.parametrize("focus", EXTREMES)
@pytest.mark.parametrize("size", SHAPES)
@pytest.mark.parametrize("aspect", images.ASPECTS.values())
def test_the_crop_has_the_ratio_stays_inside_and_contains_the_focal_point(focus, size, aspect):
    width, height = size
    left, top, right, bottom = images.crop_box(width, height, aspect, focus)
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    assert left <= focus[0] * width <= right
    assert top <= focus[1] * height <= bottom
    # The largest crop of that ratio: one side is the picture's whole side.
    assert right - left == width or bottom - top == height
    assert abs((right - left) / (bottom - top) - aspect[0] / aspect[1]) < 0.5 / min(size) + 0.2


def test_the_crop_is_centred_on_the_focal_point_when_it_fits():
    # A 1600×900 picture cut to 3:2 is 1350×900: 250 pixels to move left and right.
    assert images.crop_box(1600, 900, (3, 2), (0.5, 0.5)) == (125, 0, 1475, 900)
    assert images.crop_box(1600, 900, (3, 2), (0.45, 0.5)) == (45, 0, 1395, 900)
    # Clamped at the edges rather than running off the picture.
    assert images.crop_box(1600, 900, (3, 2), (0.01, 0.5)) == (0, 0, 1350, 900)
    assert images.crop_box(1600, 900, (3, 2), (1.0, 0.5)) == (250, 0, 1600, 900)
    # Values outside 0..1 from a shell or an old row are clamped too.
    assert images.crop_box(1600, 900, (3, 2), (7, -3)) == (250, 0, 1600, 900)


def marked_picture(size, spot):
    """A grey picture with a red square at `spot` (fractions): what must survive a crop."""
    width, height = size
    image = Image.new("RGB", size, (128, 128, 128))
    x, y = round(spot[0] * (width - 1)), round(spot[1] * (height - 1))
    image.paste((255, 0, 0), (max(0, x - 20), max(0, y - 20), x + 20, y + 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def has_red(path):
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
        return any(r > 200 and g < 80 and b < 80 for _count, (r, g, b) in colours)


@pytest.mark.parametrize("spot", [(0.0, 0.0), (1.0, 1.0), (0.02, 0.5), (0.98, 0.5)])
def test_card_and_lead_story_renditions_keep_what_is_at_the_focal_point(spot):
    # A panorama: a centred card crop would lose both ends.
    article = make_article(image_focus_x=spot[0], image_focus_y=spot[1])
    article.image.save("p.png", ContentFile(marked_picture((2400, 600), spot)), save=False)
    article.save()
    stem = Path(article.image.path).with_suffix("")
    key = f"f{round(spot[0] * 1000)}x{round(spot[1] * 1000)}"
    for aspect in images.ASPECTS:
        renditions = sorted(Path(stem.parent).glob(f"{stem.name}-{aspect}-{key}-*w.*"))
        assert renditions, aspect
        for path in renditions:
            assert has_red(path), path
    with Image.open(f"{stem}-3x2-{key}-320w.jpg") as card:
        assert card.size == (320, 213)


def test_a_centred_crop_would_have_lost_the_spot():
    # The test above means something: without the focal point the spot is cut off.
    article = make_article()
    article.image.save("p.png", ContentFile(marked_picture((2400, 600), (0.0, 0.0))), save=False)
    article.save()
    stem = Path(article.image.path).with_suffix("")
    assert not has_red(f"{stem}-3x2-f500x500-320w.jpg")


def test_moving_the_focal_point_in_the_admin_makes_new_crops_and_cards_use_them(client):
    article = make_article(featured=True)
    article.image.save("p.png", ContentFile(marked_picture((2400, 600), (1.0, 0.5))), save=False)
    article.save()
    client.force_login(make_staff(CHIEF_EDITOR))
    page = client.get(change_url(article)).content.decode()
    # The picker: the stored image to click, tied to both fields, with its script.
    assert 'class="focal-point" data-focal-across="id_image_focus_x"' in page
    assert 'data-focal-down="id_image_focus_y"' in page
    assert f'<img src="{article.image.url}"' in page
    assert re.search(r"/news/focal-point\.[0-9a-f]+\.js\"", page)

    data = form_data_of(article, image_focus_x="1", image_focus_y="0.5")
    data["image_alt_en"] = "A red lamp at the right end of a grey wall"
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert (article.image_focus_x, article.image_focus_y) == (1.0, 0.5)
    stem = Path(article.image.path).with_suffix("")
    assert has_red(f"{stem}-3x2-f1000x500-320w.webp")
    # A card in a list (the category page) shows the new crop, with its own dimensions.
    html = client.get(article.category.get_absolute_url()).content.decode()
    url_stem = article.image.url.rsplit(".", 1)[0]
    assert f"{url_stem}-3x2-f1000x500-320w.webp 320w" in html
    assert 'width="900" height="600"' in html


@pytest.mark.parametrize("value", ["1.5", "-0.1", "left"])
def test_a_focal_point_outside_the_picture_is_a_form_error(client, value):
    article = make_article()
    client.force_login(make_staff(CHIEF_EDITOR))
    response = client.post(change_url(article), form_data_of(article, image_focus_x=value))
    assert response.status_code == 200
    assert "image_focus_x" in response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).image_focus_x == 0.5


def test_an_image_field_without_focus_fields_crops_about_the_centre():
    author = make_author()
    author.photo.save("a.png", SimpleUploadedFile("a.png", marked_picture((300, 200), (0, 0))))
    assert author.photo.focus == images.CENTRE
    assert images.renditions(author.photo, 300, "3x2", 200)[0].webp.endswith(
        "-3x2-f500x500-300w.webp"
    )


@pytest.mark.parametrize("name", ["lead/2026/12/photo.jpg", "lead/фото снимок+1 (2).png"])
@pytest.mark.parametrize("aspect", [None, "3x2"])
def test_each_rendition_url_is_the_storages_url_of_its_name(name, aspect):
    class Image:  # a stored image as renditions() reads it
        def __init__(self, name):
            self.name = name
            self.storage = Article._meta.get_field("image").storage
            self.focus = (0.25, 0.75)

        def __bool__(self):
            return True

    image = Image(name)
    versions = images.renditions(image, 1600, aspect, 900)
    assert versions
    for version in versions:
        for extension, url in (("webp", version.webp), ("jpg", version.jpeg)):
            expected_name = images.rendition_name(
                name, version.width, extension, aspect, image.focus
            )
            assert url == image.storage.url(expected_name)


def test_a_cards_picture_follows_its_focal_point_and_the_media_address(settings):
    # Each worker writes a card's <picture> once per image, focal point and address.
    from news.templatetags.renditions import article_picture

    article = make_article()
    article.image.save("card.png", ContentFile(marked_picture((1600, 900), (0.5, 0.5))))
    first = article_picture(article, loading="lazy", aspect="3x2")
    assert "-3x2-f500x500-320w.webp" in first
    assert article_picture(article, loading="lazy", aspect="3x2") is first

    article.image_focus_x = 0.1
    moved = article_picture(article, loading="lazy", aspect="3x2")
    assert "-3x2-f100x500-320w.webp" in moved and "f500x500" not in moved

    settings.MEDIA_URL = "/elsewhere/"
    elsewhere = article_picture(article, loading="lazy", aspect="3x2")
    assert 'srcset="/elsewhere/' in elsewhere and 'src="/elsewhere/' in elsewhere
    assert "/media/" not in elsewhere
