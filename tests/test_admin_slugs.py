"""Slugs made from the title (or name), editable, and unique with a clear error before saving.

The browser fills the slug as the editor types (news/static/news/slug.js, checked
against these same rules in tests/browser/test_admin_change_form_fits.py); the server
fills an empty one and refuses a taken one.
"""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core import slugs
from multimedia.models import Gallery, Status
from news.models import Article, Author, Category, Tag
from tests.admin_helpers import (
    CHIEF_EDITOR,
    add_url,
    article_form_data,
    change_url,
    form_data_of,
    make_staff,
)
from tests.builders import make_article, make_author, make_category, make_gallery, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = make_staff(CHIEF_EDITOR)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "code, text, slug",
    [
        # The project's Kazakh Latin (2021) without its accents: ğ -> g, ı -> i, ş -> sh.
        (
            "kk",
            "Қазақстан Президенті Шығыс өңірге барды",
            "qazaqstan-prezidenti-shygys-onirge-bardy",
        ),
        # Russian as in passports (ICAO Doc 9303).
        ("ru", "Щука, ёж и Цой: медиафорум в Астане", "shchuka-ezh-i-tsoi-mediaforum-v-astane"),
        ("ru", "Объём подъезда", "obieem-podieezda"),
        # Uzbek Cyrillic to the Uzbek Latin alphabet, apostrophes of oʻ and gʻ dropped.
        ("uz", "Ўзбекистон ғалабаси ҳақида хабар", "ozbekiston-galabasi-haqida-xabar"),
        ("en", "Astana’s “Media Forum” — 2026: Café & Co.", "astanas-media-forum-2026-cafe-co"),
        ("kk-latn", "Qazaqstan Prezidentı İlon", "qazaqstan-prezidenti-ilon"),
        # Scripts with no Latin reading give nothing.
        ("zh-hans", "哈萨克斯坦", ""),
        ("kk-arab", "قازاقستان", ""),
    ],
)
def test_slug_of_a_title_in_each_script(code, text, slug):
    assert slugs.slugify(text, code) == slug


def test_cyrillic_title_comes_before_english_kazakh_before_russian():
    texts = {"en": "Senate", "ru": "Сенат", "kk": "Сенат палатасы", "zh-hans": "参议院"}
    assert slugs.slug_from(texts) == "senat-palatasy"
    assert slugs.slug_from({**texts, "kk": ""}) == "senat"
    assert slugs.slug_from({"en": "Senate", "zh-hans": "参议院"}) == "senate"
    assert slugs.slug_from({"zh-hans": "参议院"}) == ""


def test_a_long_slug_is_cut_between_words():
    assert slugs.slugify("Astana hosts media forum", "en", max_length=16) == "astana-hosts"
    assert slugs.slugify("Astana hosts media forum", "en", max_length=12) == "astana-hosts"
    assert slugs.slugify("Supercalifragilistic", "en", max_length=5) == "super"


def test_free_variant_counts_up_and_stays_within_the_length():
    taken = {"forum", "forum-2"}
    assert slugs.free_variant("forum", taken.__contains__) == "forum-3"
    assert slugs.free_variant("abcdef", set().__contains__, max_length=6) == "abcd-2"


def test_rules_sent_to_the_browser_are_the_python_rules():
    assert slugs.RULES["letters"]["kk"]["ң"] == "ñ"  # the project's own transliteration table
    assert slugs.RULES["order"] == ["kk", "ru", "uz", "en", "kk-latn"]


# --- The article form -------------------------------------------------------------------


def post_article(client, **fields):
    data = article_form_data(make_category(), **fields)
    return client.post(add_url(), data)


def test_an_empty_slug_is_made_from_the_kazakh_title(client, chief):
    response = post_article(
        client, slug="", title_kk="Астанада медиафорум ашылды", body_kk="<p>Мәтін</p>"
    )
    assert response.status_code == 302
    assert Article.objects.get().slug == "astanada-mediaforum-ashyldy"


def test_an_empty_slug_is_made_from_the_english_title_without_cyrillic(client, chief):
    response = post_article(client, slug="", title_en="Senate passes the budget")
    assert response.status_code == 302
    assert Article.objects.get().slug == "senate-passes-the-budget"


def test_an_empty_slug_that_is_taken_gets_a_number(client, chief):
    make_article(slug="senate-passes-the-budget")
    response = post_article(client, slug="", title_en="Senate passes the budget")
    assert response.status_code == 302
    assert Article.objects.latest("pk").slug == "senate-passes-the-budget-2"


def test_a_taken_slug_is_refused_naming_the_article_that_has_it(client, chief):
    taken = make_article("Budget passed", slug="budget")
    make_article(slug="budget-2")
    response = post_article(client, slug="budget", title_en="Another budget story")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        f"The address “budget” is already taken by “{taken.title_en}”. "
        "Choose another, for example “budget-3”."
    ]
    assert Article.objects.count() == 2


def test_the_error_is_in_the_admins_language(client, chief):
    make_article(slug="budget")
    data = article_form_data(make_category(), slug="budget")
    response = client.post("/ru/admin/news/article/add/", data)
    assert response.status_code == 200
    with translation.override("ru"):
        (error,) = response.context["adminform"].form.errors["slug"]
    assert "«budget»" in error and "занят" in error


def test_keeping_its_own_slug_is_no_conflict(client, chief):
    article = make_article(slug="budget")
    response = client.post(change_url(article), form_data_of(article, title_en="Changed"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.slug == "budget" and article.title_en == "Changed"


def test_nothing_to_make_a_slug_from_says_what_to_do(client, chief):
    response = post_article(client, slug="", title_en="", body_en="", title_zh_hans="预算")
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["slug"]
    assert error.startswith("Type the address here, or write a title")


def test_the_form_carries_the_rules_and_the_sources_for_the_script(client, chief):
    html = client.get(add_url()).content.decode()
    assert "/static/news/slug." in html
    assert "data-slug-from=" in html and "id_title_kk" in html
    assert 'data-slug-max-length="200"' in html


# --- Categories, tags and authors --------------------------------------------------------


@pytest.mark.parametrize(
    "model, make", [(Category, make_category), (Tag, make_tag), (Author, make_author)]
)
def test_subjects_get_a_slug_from_their_name_and_refuse_a_taken_one(client, chief, model, make):
    url = f"/en/admin/news/{model._meta.model_name}/add/"
    # The Russian name, not the English one: Cyrillic comes first.
    response = client.post(
        url, {"slug": "", "name_en": "Economy", "name_ru": "Экономика", "position": 0}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert model.objects.get().slug == "ekonomika"
    response = client.post(url, {"slug": "ekonomika", "name_en": "Economy", "position": 0})
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["slug"]
    assert error.startswith("The address “ekonomika” is already taken by")
    assert "ekonomika-2" in error
    assert model.objects.count() == 1


# --- Photo galleries ----------------------------------------------------------------------


def post_gallery(client, **fields):
    now = timezone.localtime()
    data = {
        "slug": "",
        "title_en": "Flood in the north",
        "status": Status.DRAFT,
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        **fields,
    }
    return client.post(reverse("admin:multimedia_gallery_add"), data)


def test_a_gallery_slug_is_made_from_its_kazakh_title_before_the_english(client, chief):
    response = post_gallery(client, title_kk="Солтүстіктегі су тасқыны")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Gallery.objects.get().slug == "soltustiktegi-su-tasqyny"


def test_a_taken_gallery_slug_is_refused_naming_the_gallery_that_has_it(client, chief):
    taken = make_gallery(title="Flood in the north", slug="flood")
    response = post_gallery(client, slug="flood", title_en="Another flood")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        f"The address “flood” is already taken by “{taken.title_en}”. "
        "Choose another, for example “flood-2”."
    ]
    assert post_gallery(client, title_en="Flood").status_code == 302
    assert Gallery.objects.latest("pk").slug == "flood-2"


def test_the_gallery_form_fills_the_slug_by_the_articles_script_not_prepopulate(client, chief):
    html = client.get(reverse("admin:multimedia_gallery_add")).content.decode()
    assert "/static/news/slug." in html
    assert "data-slug-from=" in html and "id_title_kk" in html
    assert 'data-prepopulated-fields="[]"' in html  # Django's own filling is off
