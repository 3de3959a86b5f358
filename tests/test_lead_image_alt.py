"""The lead image's alt text: the editor's description, per edition, required to publish."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone, translation
from PIL import Image

from core import editions
from news import workflow
from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, change_url, form_data_of, make_staff
from tests.builders import make_article

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/news/article/"


def with_image(article):
    data = io.BytesIO()
    Image.new("RGB", (800, 450), (40, 90, 140)).save(data, "JPEG")
    article.image.save("lead.jpg", ContentFile(data.getvalue()), save=False)
    article.save()
    return article


@pytest.fixture
def chief(client):
    user = make_staff(CHIEF_EDITOR)
    client.force_login(user)
    return user


def test_readers_img_alt_is_the_alt_text_not_the_caption(client):
    article = with_image(
        make_article(
            codes=("en", "ru"),
            featured=True,
            image_caption_en="The minister at the podium",
            image_alt_en="A man in a grey suit speaks at a podium before two flags",
            image_caption_ru="Министр на трибуне",
            image_alt_ru="Мужчина в сером костюме выступает у трибуны на фоне двух флагов",
        )
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="A man in a grey suit speaks at a podium before two flags"' in page
    assert 'alt="The minister at the podium"' not in page
    assert '<p class="caption">The minister at the podium</p>' in page
    assert 'content="A man in a grey suit speaks at a podium before two flags"' in page  # og
    with translation.override("ru"):
        ru_url = article.get_absolute_url()
    ru_page = client.get(ru_url).content.decode()
    assert 'alt="Мужчина в сером костюме выступает у трибуны на фоне двух флагов"' in ru_page
    home = client.get("/en/").content.decode()
    assert 'alt="A man in a grey suit speaks at a podium before two flags"' in home


def test_the_form_refuses_to_publish_an_image_without_alt_in_an_edition(client, chief):
    draft = with_image(make_article(codes=("en", "kk"), status=Article.Status.DRAFT))
    data = form_data_of(draft, status="published", image_alt_en="Grey sky over a steppe road")
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "missing in: Қазақша" in " ".join(errors["image_alt_kk"])
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT

    data["image_alt_kk"] = "Дала жолының үстіндегі сұр аспан"
    assert client.post(change_url(draft), data).status_code == 302
    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED


def test_without_an_image_no_alt_is_needed(client, chief):
    draft = make_article(status=Article.Status.DRAFT)
    assert (
        client.post(change_url(draft), form_data_of(draft, status="published")).status_code == 302
    )


def test_a_live_article_cannot_lose_its_alt_but_an_old_one_can_get_a_typo_fixed(client, chief):
    old = with_image(make_article(codes=("en",)))  # published before alt texts existed
    fixed = form_data_of(old, status="published", title_en="Fixed typo")
    assert client.post(change_url(old), fixed).status_code == 302

    Article.objects.filter(pk=old.pk).update(image_alt_en="A bridge at night")
    old.refresh_from_db()
    emptied = form_data_of(old, status="published", image_alt_en="")
    response = client.post(change_url(old), emptied)
    assert response.status_code == 200
    assert "image_alt_en" in response.context["adminform"].form.errors


@pytest.mark.parametrize("code", ["ru", "kk", "kk-latn", "zh-hans", "kk-arab", "uz"])
def test_the_workflow_says_why_in_the_editors_language(code):
    draft = with_image(make_article(codes=("en",), status=Article.Status.REVIEW))
    user = make_staff(CHIEF_EDITOR)
    with translation.override(code):
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.approve(draft, user)
        with translation.override("en"):
            english = workflow.not_publishable_reason(draft)
    assert "English" in str(refused.value)
    assert "alt text" in english
    assert "alt text" not in str(refused.value) and "lead image" not in str(refused.value)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.REVIEW


def test_bulk_publish_refuses_an_image_without_alt_with_a_reason(client, chief):
    bare = with_image(make_article("Bare photo", codes=("en",), status=Article.Status.DRAFT))
    described = with_image(
        make_article(codes=("en",), status=Article.Status.DRAFT, image_alt_en="Wheat at dawn")
    )
    response = client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [bare.pk, described.pk]},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    reason = "the lead image has no alt text in: English."
    assert f"“{bare.title_en}” was not published: {reason}" in text
    assert Article.objects.get(pk=bare.pk).status == Article.Status.DRAFT
    assert Article.objects.get(pk=described.pk).status == Article.Status.PUBLISHED


def test_scheduling_checks_the_alt_too():
    draft = with_image(make_article(codes=("ru",), status=Article.Status.REVIEW))
    draft.proposed_publish_at = timezone.now() + timedelta(hours=2)
    draft.save()
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(draft, make_staff(CHIEF_EDITOR), at_proposed_time=True)


def test_every_demo_article_has_an_alt_in_each_of_its_editions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    articles = Article.objects.all()
    assert articles.count() > 20
    for article in articles:
        assert article.image
        assert article.editions_missing_alt() == [], article.slug
        for code in article.editions():
            assert article.text("image_alt", code) != article.text("image_caption", code)
    assert {code for a in articles for code in a.editions()} == set(editions.CODES)
