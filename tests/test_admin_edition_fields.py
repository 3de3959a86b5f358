"""Every translated field of the admin is marked with its edition's language and
direction, whatever the admin's language; the pickers speak the admin's language."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from core import editions
from news.models import Article, Author, Category, Tag
from tests.builders import make_article, make_author, make_category, make_tag

pytestmark = pytest.mark.django_db

ADMIN_LANGUAGES = ["en", "kk-arab", "uz"]


class Inputs(HTMLParser):
    """The attributes of every input and textarea of a page, by name."""

    def __init__(self):
        super().__init__()
        self.by_name = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea") and attrs.get("name"):
            self.by_name[attrs["name"]] = attrs


def inputs(response):
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser.by_name


@pytest.fixture
def chief(client):
    client.force_login(User.objects.create_superuser("chief", password="a long chief password"))


def translated_names(model):
    fields = translator.get_options_for_model(model).all_fields
    return {field.name: field.language for localized in fields.values() for field in localized}


@pytest.mark.parametrize("admin_language", ADMIN_LANGUAGES)
@pytest.mark.parametrize(
    ("model", "build"),
    [
        (Article, lambda: make_article(codes=editions.CODES)),
        (Category, make_category),
        (Tag, make_tag),
        (Author, make_author),
    ],
)
def test_each_translated_field_carries_its_editions_lang_and_dir(
    client, chief, admin_language, model, build
):
    obj = build()
    url = reverse(f"admin:news_{model._meta.model_name}_change", args=[obj.pk])
    with translation.override(admin_language):
        url = reverse(f"admin:news_{model._meta.model_name}_change", args=[obj.pk])
    fields = inputs(client.get(url))
    expected = translated_names(model)
    shown = {name: code for name, code in expected.items() if name in fields}
    # Every translated field the form shows: title, lead, body, dateline, caption, …
    assert len(shown) >= len(editions.CODES)
    for name, code in shown.items():
        edition = editions.BY_CODE[code]
        assert fields[name].get("lang") == edition.bcp47, name
        assert fields[name].get("dir") == ("rtl" if edition.bidi else "ltr"), name


def test_the_body_editor_textarea_is_marked_for_its_edition_in_a_foreign_admin(client, chief):
    article = make_article(codes=editions.CODES)
    with translation.override("en"):
        english_admin = inputs(client.get(reverse("admin:news_article_change", args=[article.pk])))
    with translation.override("kk-arab"):
        arabic_admin = inputs(client.get(reverse("admin:news_article_change", args=[article.pk])))
    # The rich-text editor (django-prose-editor) copies these to its editing area.
    assert any(k.startswith("data-django-prose-editor") for k in english_admin["body_kk_arab"])
    assert english_admin["body_kk_arab"]["dir"] == "rtl"
    assert english_admin["body_kk_arab"]["lang"] == "kk-Arab"
    assert arabic_admin["body_en"]["dir"] == "ltr"
    assert arabic_admin["body_en"]["lang"] == "en"
    assert arabic_admin["title_zh_hans"]["lang"] == "zh-Hans"
    # The tabs are named as the reader switcher names the editions.
    assert arabic_admin["title_kk_latn"]["data-edition-label"] == "qz"
    assert arabic_admin["title_kk_latn"]["data-edition-name"] == "Qazaqsha"


def test_the_article_form_loads_the_edition_script(client, chief):
    html = client.get(reverse("admin:news_article_add")).content.decode()
    assert "news/edition-fields." in html
    assert finders.find("news/edition-fields.js")


@pytest.mark.parametrize(
    ("code", "select2", "no_results"),
    [
        ("kk", "kk", "Ештеңе табылмады"),
        ("kk-latn", "kk-Latn", "Eşteñe tabylmady"),
        ("kk-arab", "kk-Arab", "ەشتەڭە تابىلمادى"),
        ("uz", "uz", "Ҳеч нарса топилмади"),
        ("ru", "ru", "Совпадений не найдено"),
        ("zh-hans", "zh-CN", "未找到结果"),
    ],
)
def test_the_pickers_speak_the_admin_language(client, chief, code, select2, no_results):
    with translation.override(code):
        html = client.get(reverse("admin:news_article_add")).content.decode()
    path = f"admin/js/vendor/select2/i18n/{select2}"
    assert f"{path}." in html  # the hashed name of {path}.js
    assert no_results in Path(finders.find(f"{path}.js")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("url_name", "prefix"),
    [
        ("admin:multimedia_gallery_add", "title_"),  # the gallery itself
        ("admin:multimedia_gallery_add", "photos-0-caption_"),  # its photos, inline
        ("admin:live_livecoverage_add", "entries-0-body_"),  # live entries, inline
        ("admin:widgets_city_add", "name_"),  # weather cities (widgets)
    ],
)
def test_other_apps_translated_fields_and_inlines_carry_lang_and_dir(
    client, chief, url_name, prefix
):
    with translation.override("kk-arab"):
        fields = inputs(client.get(reverse(url_name)))
    for edition in editions.EDITIONS:
        name = prefix + edition.code.replace("-", "_")
        assert name in fields, name
        assert fields[name].get("lang") == edition.bcp47, name
        assert fields[name].get("dir") == ("rtl" if edition.bidi else "ltr"), name
