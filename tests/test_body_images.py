"""Pictures in the article body: uploaded or chosen in the editor, cleaned like lead images,
kept by the sanitiser exactly as the editor writes them, shown to readers as a <figure>."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from news.models import Article, BodyImage
from news.sanitize import clean_html
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, add_url, change_url, make_staff
from tests.builders import make_article

pytestmark = pytest.mark.django_db

UPLOAD = "/en/admin/news/article/body-images/upload/"
CHOICES = "/en/admin/news/article/body-images/"


def picture(size=(1600, 1000), fmt="JPEG", exif=False):
    image = Image.new("RGB", size, (30, 120, 60))
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"
        options["exif"] = data
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def body_image(size=(1600, 1000)):
    image = BodyImage()
    image.image.save("b.jpg", ContentFile(picture(size)), save=False)
    image.save()
    return image


def figure(image_id, alt="", caption="", credit=""):
    return (
        f'<figure data-body-image="{image_id}" data-alt="{alt}" data-caption="{caption}" '
        f'data-credit="{credit}"><img src="/media/whatever.jpg" alt="{alt}"></figure>'
    )


@pytest.fixture
def editor(client):
    user = make_staff(EDITOR)
    client.force_login(user)
    return user


def test_the_urls_are_the_admins():
    assert reverse("admin:news_article_body_image_upload") == UPLOAD
    assert reverse("admin:news_article_body_images") == CHOICES


def test_an_upload_is_cleaned_stored_with_renditions_and_described(client, editor):
    upload = SimpleUploadedFile("../../etc/holiday.jpg", picture(exif=True), "image/jpeg")
    response = client.post(UPLOAD, {"image": upload})
    assert response.status_code == 201
    data = response.json()
    stored = BodyImage.objects.get(pk=data["id"])
    assert stored.uploaded_by == editor
    assert (stored.width, stored.height) == (1600, 1000)
    assert stored.image.name.startswith("body/") and "holiday" not in stored.image.name
    content = stored.image.read()
    assert b"SecretCam" not in content
    assert data["src"] == stored.image.url
    assert data["thumbnail"].endswith("-320w.jpg")
    stem = stored.image.path.rsplit(".", 1)[0]
    with Image.open(f"{stem}-960w.webp") as rendition:
        assert rendition.size == (960, 600)


@pytest.mark.parametrize(
    "content, name",
    [
        (b"<svg onload=alert(1)></svg>", "x.svg"),
        (b"GIF89a not really", "x.gif"),
        (picture()[:3000], "broken.jpg"),
    ],
)
def test_a_bad_upload_is_a_clear_error_and_nothing_is_stored(client, editor, content, name):
    response = client.post(UPLOAD, {"image": SimpleUploadedFile(name, content, "image/jpeg")})
    assert response.status_code == 400
    assert response.json()["error"]
    assert not BodyImage.objects.exists()


def test_an_upload_without_a_file_is_an_error_in_the_editors_language(client, editor):
    response = client.post("/ru/admin/news/article/body-images/upload/", {})
    assert response.status_code == 400
    assert response.json()["error"] == "Обязательное поле."


def test_readers_and_strangers_cannot_upload_or_list(client):
    assert client.post(UPLOAD, {"image": SimpleUploadedFile("a.jpg", picture())}).status_code == 302
    assert client.get(CHOICES).status_code == 302
    outsider = make_staff(CHIEF_EDITOR, "outsider")
    outsider.groups.clear()
    client.force_login(outsider)
    assert client.post(UPLOAD, {"image": SimpleUploadedFile("a.jpg", picture())}).status_code == 403
    assert client.get(CHOICES).status_code == 403
    assert not BodyImage.objects.exists()


def test_an_upload_needs_the_csrf_token(editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    response = strict.post(UPLOAD, {"image": SimpleUploadedFile("a.jpg", picture())})
    assert response.status_code == 403
    assert not BodyImage.objects.exists()


def test_choices_are_the_latest_images_newest_first(client, editor, django_assert_max_num_queries):
    older, newer = body_image(), body_image((400, 300))
    with django_assert_max_num_queries(6):
        images = client.get(CHOICES).json()["images"]
    assert [image["id"] for image in images] == [newer.pk, older.pk]
    assert images[0]["thumbnail"].endswith("-320w.jpg")
    assert (images[0]["width"], images[0]["height"]) == (400, 300)


def test_the_editor_offers_the_picture_button_in_the_admins_language(client, editor):
    page = client.get(add_url().replace("/en/", "/kk/")).content.decode()
    config = page.split('data-django-prose-editor-configurable="', 1)[1].split('"', 1)[0]
    extensions = json.loads(config.replace("&quot;", '"').replace("&amp;", "&"))["extensions"]
    options = extensions["BodyImage"]
    assert options["uploadUrl"] == "/kk/admin/news/article/body-images/upload/"
    assert options["labels"]["insert"] == "Сурет қою"
    assert any(
        "news/body-image." in module
        for module in json.loads(config.replace("&quot;", '"').replace("&amp;", "&"))["js_modules"]
    )


def test_the_sanitiser_keeps_exactly_the_editors_figure():
    stored = clean_html(figure(12, "Wheat &amp; sky", "Harvest in Kostanay", "Photo: A. Ali"))
    assert stored == (
        '<figure data-body-image="12" data-alt="Wheat &amp; sky" data-caption="Harvest in '
        'Kostanay" data-credit="Photo: A. Ali"><img src="/media/whatever.jpg" alt="Wheat &amp; '
        'sky"></figure>'
    )


@pytest.mark.parametrize(
    "hostile, expected",
    [
        # Only a plain number names an image.
        ('<figure data-body-image="1 onerror=alert(1)"></figure>', "<figure></figure>"),
        ('<figure data-body-image="../2"></figure>', "<figure></figure>"),
        ('<figure data-body-image="0"></figure>', "<figure></figure>"),
        # Handlers, styles, classes and other data attributes go.
        (
            '<figure data-body-image="3" onclick="x()" style="a" class="b" data-x="1"></figure>',
            '<figure data-body-image="3"></figure>',
        ),
        # Text attributes stay text: quotes and brackets escaped, no line breaks.
        (
            '<figure data-body-image="4" data-alt="&quot;><script>alert(1)</script>"></figure>',
            '<figure data-body-image="4" '
            'data-alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"></figure>',
        ),
        (
            '<figure data-body-image="5" data-caption="one\ntwo\x07"></figure>',
            '<figure data-body-image="5" data-caption="one two"></figure>',
        ),
        # No script, no event handler and no javascript: on the image inside.
        (
            '<figure data-body-image="6"><img src="javascript:alert(1)" onerror="x()">'
            "<script>alert(1)</script></figure>",
            '<figure data-body-image="6"><img></figure>',
        ),
        # The data attributes belong to figures only.
        ('<p data-body-image="7" data-alt="x">t</p>', "<p>t</p>"),
        ('<img data-body-image="8" src="/a.jpg">', '<img src="/a.jpg">'),
    ],
)
def test_the_sanitiser_drops_every_hostile_variant(hostile, expected):
    assert clean_html(hostile) == expected


def test_readers_get_a_figure_with_renditions_alt_caption_and_credit(
    client, django_assert_max_num_queries
):
    image = body_image()
    body = (
        "<p>Before.</p>"
        + figure(image.pk, "Combines in a wheat field", "Harvest in Kostanay", "Photo: A. Ali")
        + "<p>After.</p>"
    )
    article = make_article(body_en=body)
    stem = image.image.url.rsplit(".", 1)[0]
    # Line breaks between tags are the templates'; readers see none of them.
    html = client.get(article.get_absolute_url()).content.decode().replace("\n", "")
    assert (
        '<p>Before.</p><figure class="body-image"><picture>'
        f'<source type="image/webp" srcset="{stem}-320w.webp 320w, {stem}-640w.webp 640w, '
        f'{stem}-960w.webp 960w, {stem}-1280w.webp 1280w" sizes="' in html
    )
    assert (
        '<img src="' + image.image.url + '" alt="Combines in a wheat field" width="1600" '
        'height="1000" loading="lazy"></picture><figcaption><p class="caption">Harvest in '
        'Kostanay</p><p class="credit">Photo: A. Ali</p></figcaption></figure><p>After.</p>'
    ) in html
    assert "data-body-image" not in html and "/media/whatever.jpg" not in html


def test_each_edition_describes_the_picture_in_its_own_words(client):
    image = body_image()
    article = make_article(
        codes=("en", "kk"),
        body_en=figure(image.pk, "A yurt on the steppe", "Summer pasture"),
        body_kk=figure(image.pk, "Даладағы киіз үй", "Жайлау"),
    )
    with translation.override("kk"):
        kk_url = article.get_absolute_url()
    html = client.get(kk_url).content.decode()
    assert 'alt="Даладағы киіз үй"' in html and '<p class="caption">Жайлау</p>' in html
    assert "A yurt" not in html
    # Empty credit: no empty line for it.
    assert 'class="credit"' not in html


def test_a_body_with_pictures_costs_one_query_for_all_of_them(client, django_assert_num_queries):
    from news.body_images import render_body

    first, second = body_image(), body_image((800, 600))
    html = clean_html(figure(first.pk, "a") + "<p>x</p>" + figure(second.pk, "b"))
    with django_assert_num_queries(1):
        rendered = render_body(html)
    assert rendered.count('<figure class="body-image">') == 2
    with django_assert_num_queries(0):
        assert render_body("<p>No pictures</p>") == "<p>No pictures</p>"


def test_a_figure_of_a_deleted_or_unknown_image_is_dropped(client):
    image = body_image()
    article = make_article(body_en="<p>Text</p>" + figure(image.pk + 100, "gone") + "<p>More</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>Text</p><p>More</p>" in html
    assert "gone" not in html


def test_the_figure_survives_the_admin_form_and_a_save_outside_it(client, editor):
    image = body_image()
    from tests.admin_helpers import article_form_data
    from tests.builders import make_category

    data = article_form_data(
        make_category(), body_en=figure(image.pk, "Alt", "Caption", "Credit") + "<p>Text</p>"
    )
    assert client.post(add_url(), data).status_code == 302
    article = Article.objects.get()
    assert f'<figure data-body-image="{image.pk}" data-alt="Alt"' in article.body_en
    response = client.get(change_url(article))
    assert response.status_code == 200
