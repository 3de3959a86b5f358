"""The gallery and video admin: photos in order in one form, the newsroom's roles, every
bad upload a form error, and the screens in every admin language."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core import editions
from multimedia.models import Gallery, Status, Video
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, make_staff
from tests.builders import image_upload, make_article, make_gallery

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"\0" * 64


def gallery_form(status=Status.DRAFT, photos=(), **fields):
    now = timezone.localtime()
    data = {
        "slug": "flood-in-the-north",
        "title_en": "Flood in the north",
        "status": status,
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "photos-TOTAL_FORMS": str(len(photos)),
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    for n, (position, caption, upload) in enumerate(photos):
        data[f"photos-{n}-position"] = str(position)
        data[f"photos-{n}-caption_en"] = caption
        data[f"photos-{n}-alt_en"] = f"alt of {caption}"
        data[f"photos-{n}-image"] = upload
    data.update(fields)
    return data


def test_chief_editor_publishes_a_gallery_with_photos_in_the_order_given(client):
    client.force_login(make_staff(CHIEF_EDITOR))
    response = client.post(
        reverse("admin:multimedia_gallery_add"),
        gallery_form(
            Status.PUBLISHED,
            photos=[(2, "second", image_upload("b.png")), (1, "first", image_upload("a.jpg"))],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    gallery = Gallery.objects.get()
    assert [p.caption_en for p in gallery.photos.all()] == ["first", "second"]
    page = client.get(gallery.get_absolute_url())
    assert page.status_code == 200
    assert re.findall(r'<p class="caption">([^<]+)</p>', page.content.decode()) == [
        "first",
        "second",
    ]


def test_a_photo_that_is_not_an_image_is_a_form_error_and_nothing_is_saved(client):
    client.force_login(make_staff(CHIEF_EDITOR))
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post(
        reverse("admin:multimedia_gallery_add"), gallery_form(photos=[(1, "bad", fake)])
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["image"]
    assert not Gallery.objects.exists()


def test_an_editor_prepares_drafts_but_cannot_publish_or_change_a_published_gallery(client):
    client.force_login(make_staff(EDITOR))
    response = client.post(
        reverse("admin:multimedia_gallery_add"),
        gallery_form(Status.PUBLISHED, photos=[(1, "one", image_upload())]),
    )
    assert response.status_code == 302
    gallery = Gallery.objects.get()
    assert gallery.status == Status.DRAFT  # the status field is not theirs to set
    published = make_gallery(status=Status.PUBLISHED)
    change = reverse("admin:multimedia_gallery_change", args=[published.pk])
    assert client.post(change, gallery_form(Status.DRAFT, title_en="Changed")).status_code == 403
    published.refresh_from_db()
    assert published.title_en != "Changed"


def test_bad_video_uploads_in_the_admin_are_form_errors(client):
    client.force_login(make_staff(CHIEF_EDITOR))
    article = make_article()
    add = reverse("admin:multimedia_video_add")
    cases = {
        "png named mp4": {"file": SimpleUploadedFile("v.mp4", image_upload().read())},
        "iframe html": {"embed_address": '<iframe src="https://www.youtube.com/embed/x">'},
        "other host": {"embed_address": "https://video.example/watch?v=dQw4w9WgXcQ"},
    }
    for name, extra in cases.items():
        data = {"article": article.pk, "poster": image_upload("poster.png"), **extra}
        response = client.post(add, data)
        assert response.status_code == 200, name
        assert response.context["adminform"].form.errors, name
    assert not Video.objects.exists()
    response = client.post(
        add,
        {
            "article": article.pk,
            "poster": image_upload("poster.png"),
            "file": SimpleUploadedFile("v.bin", MP4),
        },
    )
    assert response.status_code == 302
    assert Video.objects.get().file_type == "video/mp4"


@pytest.mark.parametrize("code", [e.code for e in editions.EDITIONS if e.code != "en"])
def test_multimedia_admin_screens_are_translated(client, code):
    client.force_login(make_staff(CHIEF_EDITOR))
    gallery = make_gallery()
    english = [
        *("Photo gallery", "photo gallery", "Alternative text", "Poster image"),
        *("Video address", "Photo and video", "Add photo"),
    ]
    pages = [
        f"/{code}/admin/",
        f"/{code}/admin/multimedia/gallery/",
        f"/{code}/admin/multimedia/gallery/{gallery.pk}/change/",
        f"/{code}/admin/multimedia/video/add/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = re.sub(r"<[^>]+>", " ", response.content.decode())
        assert [w for w in english if w in text] == [], path
