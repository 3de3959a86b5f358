"""Nothing is cut silently: a live count under every limited field, a refusal past the limit."""

import re

import pytest
from django.urls import reverse

from news.models import Article
from tests.admin_helpers import CHIEF_EDITOR, add_url, article_form_data, change_url, make_staff
from tests.builders import make_article, make_category
from tests.merge_helpers import open_form, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    client.force_login(make_staff(CHIEF_EDITOR))
    return client


def input_named(text, name):
    return re.search(rf'<input [^>]*name="{name}"[^>]*>', text).group()


def test_limited_fields_carry_their_limit_for_the_counter_but_no_maxlength(chief):
    text = page(chief.get(add_url()))

    assert "maxlength" not in text
    assert 'data-max-length="300"' in input_named(text, "title_kk_arab")
    assert 'data-max-length="200"' in input_named(text, "slug")
    assert re.search(r'<script src="[^"]*news/length-counter[^"]*\.js" data-over="', text)


def test_the_over_limit_message_is_in_the_editors_language(chief):
    text = page(chief.get(add_url().replace("/en/", "/kk-arab/", 1)))
    over = re.search(r'data-over="([^"]*)"', text).group(1)
    assert "{count} / {limit}" in over
    assert "تاڭبا ارتىق" in over  # "characters too many", in Arabic-script Kazakh


def test_a_pasted_10000_character_title_is_refused_and_kept_whole(chief):
    article = make_article(codes=("en",), status=Article.Status.DRAFT)
    url = change_url(article)
    data = open_form(chief, url)
    pasted = ("Долгий заголовок " * 600).strip()  # 10,199 characters
    data["title_ru"] = pasted

    response = chief.post(url, data)

    assert response.status_code == 200
    text = page(response)
    assert "Ensure this value has at most 300 characters (it has 10199)." in text
    assert f'value="{pasted}"' in input_named(text, "title_ru")
    article.refresh_from_db()
    assert article.title_ru in ("", None)


def test_the_refusal_is_in_the_editors_language(chief):
    data = article_form_data(make_category(), title_en="x" * 301)
    response = chief.post(add_url().replace("/en/", "/ru/", 1), data)
    assert "Убедитесь, что это значение содержит не более 300 символов (сейчас 301)." in page(
        response
    )
    assert Article.objects.count() == 0


def test_category_names_are_counted_too(chief):
    category = make_category()
    url = reverse("admin:news_category_change", args=[category.pk])
    text = page(chief.get(url))
    assert 'data-max-length="100"' in input_named(text, "name_zh_hans")
    assert "maxlength" not in text
