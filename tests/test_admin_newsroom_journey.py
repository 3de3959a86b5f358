"""An article's way through the newsroom, from an editor's sign-in to readers, in Kazakh.

How scheduling fits the roles: an Editor cannot publish, so an Editor schedules
by saving the draft with its future publish time. The Chief editor then
publishes it; with its time still ahead the article is "Scheduled", and it
reaches readers by itself at that time (no job runs: the reader querysets
compare the publish time with now).

Each step is a function below; the journey test runs them in order, each one
starting from where the previous one left the newsroom.
"""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, form_data_of
from tests.builders import make_category

pytestmark = pytest.mark.django_db

PASSWORD = "a long editor password"
KAZAKH_SCRIPTS = ("kk", "kk-latn", "kk-arab")
PUBLISH_AT = timezone.now() + timedelta(days=2)
TITLE_KK = "Сенат Өзбекстанмен автомобиль тасымалы туралы келісімді ратификациялады"
TITLE_LATN = "Senat Özbekstanmen avtomobil tasymaly turaly kelısımdı ratifikasiialady"
TITLE_ARAB = "سەنات وزبەكستانمەن اۆتوموبيل تاسىمالى تۋرالى كەلىسىمدى راتيفيكاتسييالادى"


def in_kazakh(name, *args):
    """An admin URL of the Kazakh (Cyrillic) admin."""
    with translation.override("kk"):
        return reverse(name, args=args)


def staff(username, group_name):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def small_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (30, 90, 160)).save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("senate.jpg", buffer.getvalue(), content_type="image/jpeg")


def publish_time_fields(when):
    when = timezone.localtime(when)
    return {
        "published_at_0": when.strftime("%Y-%m-%d"),
        "published_at_1": when.strftime("%H:%M:%S"),
    }


# --- The steps ------------------------------------------------------------------


def step_editor_signs_in_through_the_login_form(client):
    login = client.get("/en/admin/login/?next=/en/admin/")
    assert login.status_code == 200 and 'name="password"' in login.content.decode()
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "aigerim", "password": PASSWORD, "next": "/en/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def step_editor_switches_the_admin_to_kazakh(client):
    response = client.post("/i18n/setlang/", {"language": "kk", "next": "/admin/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/kk/admin/"
    html = response.content.decode()
    assert re.search(r'<html lang="kk" dir="ltr"', html)
    assert re.search(r'<option value="kk" lang="kk" selected>', html)
    # The choice holds on the next visit without a language in the address.
    assert client.get("/admin/")["Location"] == "/kk/admin/"


def step_editor_writes_the_article_in_kazakh(client, category):
    form = client.get(in_kazakh("admin:news_article_add"))
    assert form.status_code == 200
    response = client.post(
        in_kazakh("admin:news_article_add"),
        {
            "slug": "senate-ratifies-road-transport-agreement",
            "title_kk": TITLE_KK,
            "lead_kk": "Сенат бүгінгі жалпы отырысында келісімді ратификациялады.",
            # What the body editor posts: its HTML, as an ordinary form field.
            "body_kk": "<p>Құжат <strong>екі елдің</strong> тасымалдаушыларына рұқсат беру "
            "тәртібін жеңілдетеді.</p><p>Заң Мемлекет басшысының қол қоюына жіберілді.</p>",
            "dateline_city_kk": "Астана",
            "category": category.pk,
            "status": Article.Status.DRAFT,
            **publish_time_fields(timezone.now()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="senate-ratifies-road-transport-agreement")
    assert article.editions() == ["kk"]
    return article


def step_editor_fills_the_latin_and_arabic_script_editions(client, article):
    url = in_kazakh("admin:news_article_change", article.pk)
    response = client.post(url, {**form_data_of(article), "_transliterate_kk": "1"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    article.refresh_from_db()
    assert article.title_kk_latn == TITLE_LATN
    assert article.title_kk_arab == TITLE_ARAB
    assert "<strong>ekı eldıñ</strong>" in article.body_kk_latn
    assert article.editions() == list(KAZAKH_SCRIPTS)
    # A correction by hand stays: here the Latin dateline gets the agency's spelling.
    client.post(url, form_data_of(article, dateline_city_kk_latn="ASTANA"))
    article.refresh_from_db()
    assert article.dateline_city_kk_latn == "ASTANA"


def step_editor_uploads_an_image(client, article):
    url = in_kazakh("admin:news_article_change", article.pk)
    response = client.post(
        url,
        form_data_of(
            article,
            image=small_jpeg(),
            image_caption_kk="Сенаттың жалпы отырысы",
            # What the picture shows, in each script: required before it can be published.
            image_alt_kk="Сенаторлар мәжіліс залында отыр",
            image_alt_kk_latn="Senatorlar mäjılıs zalynda otyr",
            image_alt_kk_arab="سەناتورلار ٴماجىلىس زالىندا وتىر",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.image.name.endswith(".jpg")
    assert (article.image_width, article.image_height) == (800, 450)


def step_editor_schedules_the_draft(client, article):
    url = in_kazakh("admin:news_article_change", article.pk)
    response = client.post(url, form_data_of(article, **publish_time_fields(PUBLISH_AT)))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT  # an editor cannot publish …
    assert abs(article.published_at - PUBLISH_AT) < timedelta(seconds=1)  # … but sets the time


def step_staff_preview_every_kazakh_script(client, article):
    anonymous = Client()
    for code in KAZAKH_SCRIPTS:
        url = f"/{code}/preview/{article.pk}/"
        page = client.get(url)
        assert page.status_code == 200, code
        assert page.templates[0].name == "news/article.html"
        assert getattr(article, f"title_{code.replace('-', '_')}") in page.content.decode()
        assert anonymous.get(url).status_code == 404, code


def step_chief_editor_publishes_it(article):
    chief = Client()
    chief.force_login(staff("dauren", CHIEF_EDITOR))
    url = in_kazakh("admin:news_article_change", article.pk)
    response = chief.post(url, form_data_of(article, status=Article.Status.PUBLISHED))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    scheduled = chief.get(in_kazakh("admin:news_article_changelist") + "?state=scheduled")
    assert [a.pk for a in scheduled.context["cl"].result_list] == [article.pk]


def step_readers_see_it_at_its_time_and_not_before(article):
    reader = Client()

    def reader_page(code):
        with translation.override(code):
            return reader.get(article.get_absolute_url())

    for code in KAZAKH_SCRIPTS:
        assert reader_page(code).status_code == 404, code
        assert TITLE_KK not in reader.get("/kk/").content.decode()
    with time_machine.travel(PUBLISH_AT + timedelta(minutes=1), tick=False):
        for code in KAZAKH_SCRIPTS:
            page = reader_page(code)
            assert page.status_code == 200, code
            assert getattr(article, f"title_{code.replace('-', '_')}") in page.content.decode()
            html = page.content.decode()
            assert '<source type="image/webp" srcset="' in html, code
            assert re.search(r'<img src="[^"]+" alt="[^"]*" width="800" height="450"', html), code
        assert TITLE_KK in reader.get("/kk/").content.decode()


# --- The journey ------------------------------------------------------------------


def test_an_article_goes_from_an_editor_in_kazakh_to_readers_at_its_time(client):
    staff("aigerim", EDITOR)
    category = make_category(slug="parliament")

    step_editor_signs_in_through_the_login_form(client)
    step_editor_switches_the_admin_to_kazakh(client)
    article = step_editor_writes_the_article_in_kazakh(client, category)
    step_editor_fills_the_latin_and_arabic_script_editions(client, article)
    step_editor_uploads_an_image(client, article)
    step_editor_schedules_the_draft(client, article)
    step_staff_preview_every_kazakh_script(client, article)
    step_chief_editor_publishes_it(article)
    step_readers_see_it_at_its_time_and_not_before(article)
