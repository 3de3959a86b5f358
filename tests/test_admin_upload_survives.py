"""An image chosen in a form stays chosen when the form comes back with an error."""

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from core import pending_uploads
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, change_url, make_staff
from tests.builders import make_article, make_category
from tests.merge_helpers import hidden_value, open_form, page, signed_in

pytestmark = pytest.mark.django_db

# Any form error will do (an empty slug is no error: it is made from the title).
NOT_A_SLUG = "not a slug!"


def jpeg(size=(800, 450)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("harbour at dawn.jpg", buffer.getvalue(), "image/jpeg")


def pending_files():
    folder = Path(settings.MEDIA_ROOT) / pending_uploads.PENDING_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))
    return client


def test_an_image_chosen_in_a_form_with_an_error_is_offered_back(chief):
    data = article_form_data(make_category(), slug=NOT_A_SLUG, image=jpeg())

    response = chief.post(add_url(), data)

    assert response.status_code == 200
    text = page(response)
    assert "Chosen: harbour at dawn.jpg" in text
    thumbnail = re.search(r'<img class="pending-thumbnail" src="([^"]+)"', text).group(1)
    shown = chief.get(thumbnail)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert Article.objects.count() == 0


def test_the_kept_image_is_saved_with_the_next_valid_submit(
    chief, django_capture_on_commit_callbacks
):
    category = make_category()
    first = chief.post(add_url(), article_form_data(category, slug=NOT_A_SLUG, image=jpeg()))
    data = article_form_data(category, slug="harbour")
    data["image-pending"] = hidden_value(first, "image-pending")

    with django_capture_on_commit_callbacks(execute=True):
        assert chief.post(add_url(), data).status_code == 302

    article = Article.objects.get()
    assert article.image.name.startswith("articles/")
    assert (article.image_width, article.image_height) == (800, 450)
    assert pending_files() == []


def test_the_image_survives_a_conflict_and_is_saved_once_it_is_resolved(
    django_capture_on_commit_callbacks,
):
    article = make_article(codes=("en",), status=Article.Status.DRAFT)
    aigerim, boris = signed_in("Aigerim"), signed_in("Boris")
    url = change_url(article)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first["title_en"] = "Hers"
    aigerim.post(url, first)
    second["title_en"] = "His"

    conflict = boris.post(url, {**second, "image": jpeg()})
    assert "Chosen: harbour at dawn.jpg" in page(conflict)

    second["image-pending"] = hidden_value(conflict, "image-pending")
    second["_merge_seen"] = hidden_value(conflict, "_merge_seen")
    second["_merge_keep-title_en"] = "theirs"
    with django_capture_on_commit_callbacks(execute=True):
        assert boris.post(url, second).status_code == 302
    article.refresh_from_db()
    assert article.title_en == "Hers"
    assert article.image_width == 800


def test_a_kept_image_is_only_for_the_editor_who_chose_it(chief):
    response = chief.post(
        add_url(), article_form_data(make_category(), slug=NOT_A_SLUG, image=jpeg())
    )
    token = hidden_value(response, "image-pending")
    thumbnail = re.search(r'class="pending-thumbnail" src="([^"]+)"', page(response)).group(1)

    other = Client()
    other.force_login(make_staff(CHIEF_EDITOR, "someone-else"))
    assert other.get(thumbnail).status_code == 404
    data = article_form_data(make_category(), slug="theirs")
    data["image-pending"] = token
    assert other.post(add_url(), data).status_code == 302
    assert not Article.objects.get(slug="theirs").image


def test_the_editor_can_decline_the_kept_image(chief):
    category = make_category()
    first = chief.post(add_url(), article_form_data(category, slug=NOT_A_SLUG, image=jpeg()))
    data = article_form_data(category, slug="no-picture")
    data["image-pending"] = hidden_value(first, "image-pending")
    data["image-pending-discard"] = "on"

    assert chief.post(add_url(), data).status_code == 302
    assert not Article.objects.get().image


def test_stale_kept_uploads_are_deleted(chief):
    chief.post(add_url(), article_form_data(make_category(), slug=NOT_A_SLUG, image=jpeg()))
    chief.post(add_url(), article_form_data(make_category(), slug=NOT_A_SLUG, image=jpeg()))
    old, fresh = pending_files()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))

    call_command("clean_pending_uploads", stdout=io.StringIO())

    assert pending_files() == [fresh]
