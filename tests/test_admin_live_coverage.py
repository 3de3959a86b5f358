"""Live coverage in the admin: editors start it and add entries inline, the newsroom's
roles decide who may do what, and every page speaks the editor's language."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from live.models import LiveCoverage, LiveEntry
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, make_staff
from tests.builders import make_article, make_live_coverage, make_live_entry
from tests.caching import warm
from tests.test_admin_catalogs import ENGLISH_WORDS, LANGUAGES, visible_text
from tests.test_admin_images import picture_bytes

pytestmark = pytest.mark.django_db


def add_url():
    return reverse("admin:live_livecoverage_add")


def change_url(coverage):
    return reverse("admin:live_livecoverage_change", args=[coverage.pk])


def split(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def coverage_form(article, entries=(), existing=(), ended_at=None, started_at=None):
    """What the coverage form posts: the article, its times and the inline entries."""
    day, time = split(started_at or timezone.now())
    data = {
        "article": article.pk,
        "started_at_0": day,
        "started_at_1": time,
        "ended_at_0": split(ended_at)[0] if ended_at else "",
        "ended_at_1": split(ended_at)[1] if ended_at else "",
        "entries-TOTAL_FORMS": len(existing) + len(entries),
        "entries-INITIAL_FORMS": len(existing),
        "entries-MIN_NUM_FORMS": 0,
        "entries-MAX_NUM_FORMS": 1000,
    }
    for index, entry in enumerate([*existing, *entries]):
        prefix = f"entries-{index}-"
        fields = dict(entry)
        when = fields.pop("published_at", timezone.now())
        data[prefix + "published_at_0"], data[prefix + "published_at_1"] = split(when)
        data.update({prefix + name: value for name, value in fields.items()})
    return data


@pytest.fixture
def editor(client):
    client.force_login(make_staff(EDITOR))


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))


def test_an_editor_starts_coverage_and_the_entry_shows_on_the_cached_page_at_once(client, editor):
    article = make_article("Floods")
    anonymous = client.__class__()
    assert "Body of" in warm(anonymous, article.get_absolute_url())
    response = client.post(
        add_url(),
        coverage_form(
            article,
            entries=[{"body_en": "<p>The dam holds<script>alert(1)</script></p>", "body_ru": ""}],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LiveEntry.objects.get()
    assert entry.coverage.article == article
    assert entry.body_en == "<p>The dam holds</p>"
    html = anonymous.get(article.get_absolute_url()).content.decode()
    assert "The dam holds" in html and "live-label" in html


def test_an_editor_adds_an_entry_to_running_coverage(client, editor):
    coverage = make_live_coverage()
    old = make_live_entry(coverage, "Earlier")
    existing = [{"id": old.pk, "coverage": coverage.pk, "body_en": old.body_en}]
    response = client.post(
        change_url(coverage),
        coverage_form(
            coverage.article,
            started_at=coverage.started_at,
            existing=existing,
            entries=[{"body_en": "<p>Later</p>"}],
        ),
    )
    assert response.status_code == 302
    assert [e.body_en for e in coverage.entries.all()] == ["<p>Later</p>", old.body_en]


def test_an_entry_image_is_cleaned_and_gets_renditions(client, editor, settings):
    article = make_article()
    photo = SimpleUploadedFile("IMG_0001 home.jpg", picture_bytes((900, 500)), "image/jpeg")
    response = client.post(
        add_url(),
        coverage_form(
            article, entries=[{"body_en": "<p>Photo</p>", "image": photo, "image_alt_en": "Dam"}]
        ),
    )
    assert response.status_code == 302
    entry = LiveEntry.objects.get()
    stored = Path(entry.image.path)
    assert stored.parts[-4] == "live" and "IMG" not in stored.name
    assert Path(f"{stored.with_suffix('')}-640w.webp").exists()
    assert entry.image_alt_en == "Dam"


def test_a_file_that_is_not_an_image_is_a_form_error(client, editor, settings):
    article = make_article()
    notes = SimpleUploadedFile("notes.jpg", b"not a picture\n" * 100, "image/jpeg")
    response = client.post(
        add_url(), coverage_form(article, entries=[{"body_en": "<p>x</p>", "image": notes}])
    )
    assert response.status_code == 200
    assert "valid image" in response.content.decode()
    assert not LiveCoverage.objects.exists() and not LiveEntry.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_an_entry_in_one_edition_only_is_fine_but_one_without_any_text_is_refused(client, editor):
    article = make_article(codes=("en", "kk-arab"))
    photo = SimpleUploadedFile("photo.jpg", picture_bytes((300, 200)), "image/jpeg")
    response = client.post(add_url(), coverage_form(article, entries=[{"image": photo}]))
    assert response.status_code == 200
    assert "at least one edition" in response.content.decode()
    assert not LiveEntry.objects.exists()
    response = client.post(
        add_url(), coverage_form(article, entries=[{"body_kk_arab": "<p>بوگەت توتىپ تۇر.</p>"}])
    )
    assert response.status_code == 302
    assert LiveEntry.objects.get().editions() == ["kk-arab"]


def test_an_article_has_at_most_one_coverage(client, editor):
    coverage = make_live_coverage()
    response = client.post(add_url(), coverage_form(coverage.article))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert LiveCoverage.objects.count() == 1


def test_staff_without_the_newsrooms_permissions_cannot_reach_live_coverage(client):
    user = User.objects.create_user("visitor", password="unused-in-tests", is_staff=True)
    client.force_login(user)
    coverage = make_live_coverage()
    for url in (reverse("admin:live_livecoverage_changelist"), add_url(), change_url(coverage)):
        assert client.get(url).status_code == 403, url


def test_editors_may_not_delete_what_chief_editors_may(client):
    coverage = make_live_coverage()
    make_live_entry(coverage)
    delete = reverse("admin:live_livecoverage_delete", args=[coverage.pk])
    client.force_login(make_staff(EDITOR))
    assert client.get(delete).status_code == 403
    assert 'name="entries-0-DELETE"' not in client.get(change_url(coverage)).content.decode()
    client.force_login(make_staff(CHIEF_EDITOR))
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not LiveEntry.objects.exists()


def test_ending_coverage_from_the_list_takes_the_label_off_the_page(client, chief):
    running = make_live_coverage()
    other = make_live_coverage()
    anonymous = client.__class__()
    assert "live-label" in warm(anonymous, running.article.get_absolute_url())
    response = client.post(
        reverse("admin:live_livecoverage_changelist"),
        {"action": "end_coverage", "_selected_action": [running.pk]},
    )
    assert response.status_code == 302
    running.refresh_from_db()
    other.refresh_from_db()
    assert running.ended_at is not None and other.ended_at is None
    assert "live-label" not in anonymous.get(running.article.get_absolute_url()).content.decode()


def test_the_list_filters_coverage_that_is_live_now(client, chief):
    live = make_live_coverage(make_article("Running story"))
    make_live_coverage(make_article("Finished story"), ended_at=timezone.now())
    changelist = reverse("admin:live_livecoverage_changelist")
    page = client.get(changelist + "?running=yes").content.decode()
    assert "Running story" in page and "Finished story" not in page
    page = client.get(changelist + "?running=no").content.decode()
    assert "Finished story" in page and "Running story" not in page
    assert client.get(changelist + "?running=nonsense").status_code == 200
    assert str(live.article) in client.get(changelist + "?q=Running").content.decode()


OUR_ENGLISH = [
    "Live coverage",
    "coverage started",
    "image description",
    "End the selected coverage now",
    "Live now",
    "live entries",
]


@pytest.mark.parametrize("code", LANGUAGES)
def test_live_coverage_admin_pages_are_in_the_editors_language(client, code):
    client.force_login(User.objects.create_superuser("chief", password="a long password"))
    coverage = make_live_coverage(make_article(codes=("en", "kk")))
    make_live_entry(coverage)
    pages = [
        f"/{code}/admin/",
        f"/{code}/admin/live/livecoverage/",
        f"/{code}/admin/live/livecoverage/add/",
        f"/{code}/admin/live/livecoverage/{coverage.pk}/change/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        found = [w for w in ENGLISH_WORDS + OUR_ENGLISH if re.search(rf"\b{w}\b", text)]
        assert found == [], f"{path} shows {found}"
