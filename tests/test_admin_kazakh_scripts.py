"""One action on the article form fills the Latin and Arabic-script Kazakh editions."""

import re

import pytest

from news.models import Article
from tests.admin_helpers import (
    EDITOR,
    add_url,
    article_form_data,
    change_url,
    form_data_of,
    make_staff,
)
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db

BUTTON = "_transliterate_kk"
TITLE = "Сенат Өзбекстанмен автомобиль тасымалы туралы келісімді ратификациялады"
BODY = (
    '<p>Құжат екі елдің <a href="https://senate.parlam.kz/kk">тасымалдаушыларына</a> '
    "рұқсат беру тәртібін <strong>жеңілдетеді</strong>.</p>"
    "<ul><li>Заң Мемлекет басшысының қол қоюына жіберілді.</li></ul>"
)
KAZAKH = {
    "title_kk": TITLE,
    "lead_kk": "Сенат бүгінгі жалпы отырысында келісімді ратификациялады.",
    "body_kk": BODY,
    "dateline_city": "",
    "dateline_city_kk": "Астана",
    "image_caption_kk": "Сенаттың жалпы отырысы",
    "image_credit_kk": "Фото: ҚазАқпарат",
}
# A short Kazakh article and its two other scripts, written out by hand (never
# computed with core.translit, which is what these tests check).
SHORT = {
    "title_kk": "Сенат туралы",
    "body_kk": "<p>Сенат келісімді ратификациялады</p>",
}
SHORT_TITLE_ARAB = "سەنات تۋرالى"
SHORT_BODY_LATN = "<p>Senat kelısımdı ratifikasiialady</p>"


@pytest.fixture
def editor(client):
    user = make_staff(EDITOR)
    client.force_login(user)
    return user


def test_the_button_and_its_help_are_on_the_article_form(client, editor):
    html = client.get(add_url()).content.decode()
    button = re.search(r'<input type="submit" name="_transliterate_kk"[^>]*>', html).group()
    assert 'value="Fill Latin and Arabic script from Cyrillic Kazakh"' in button
    assert 'aria-describedby="transliterate-kk-help"' in button
    help_text = re.search(r'<p id="transliterate-kk-help" class="help">(.*?)</p>', html, re.S)
    assert "never overwritten" in help_text.group(1)
    # "Save" stays the form's first submit button, the one the Enter key presses.
    assert html.index('name="_save"') < html.index(f'name="{BUTTON}"')


def test_one_action_on_the_add_form_saves_and_fills_both_scripts(client, editor):
    data = article_form_data(make_category(), **KAZAKH)
    response = client.post(add_url(), {**data, BUTTON: "1"}, follow=True)
    article = Article.objects.get(slug="from-the-admin")
    assert response.redirect_chain == [(change_url(article), 302)]
    assert article.title_kk_latn == (
        "Senat Özbekstanmen avtomobil tasymaly turaly kelısımdı ratifikasiialady"
    )
    assert article.title_kk_arab == (
        "سەنات وزبەكستانمەن اۆتوموبيل تاسىمالى تۋرالى كەلىسىمدى راتيفيكاتسييالادى"
    )
    assert article.dateline_city_kk_latn == "Astana"
    assert article.dateline_city_kk_arab == "استانا"
    assert article.image_credit_kk_latn == "Foto: QazAqparat"
    assert article.status == Article.Status.DRAFT
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "12 Latin and Arabic-script Kazakh fields were filled from the Cyrillic text: "
        "check them and correct them by hand."
    ]
    # The form is shown again with the filled text, ready for corrections.
    assert 'value="Astana"' in response.content.decode()


def test_the_body_keeps_its_tags_and_attributes(client, editor):
    data = article_form_data(make_category(), **KAZAKH)
    client.post(add_url(), {**data, BUTTON: "1"})
    article = Article.objects.get(slug="from-the-admin")
    tags = re.compile(r"<[^>]+>")
    stored = tags.findall(article.body_kk)
    assert tags.findall(article.body_kk_latn) == stored
    assert tags.findall(article.body_kk_arab) == stored
    assert '<a href="https://senate.parlam.kz/kk" rel="noopener noreferrer nofollow">' in stored
    assert "<strong>jeñıldetedı</strong>" in article.body_kk_latn
    assert article.body_kk_arab.startswith("<p>قۇجات ەكى ەلدىڭ")
    assert not re.search(r"[\u0400-\u04ff]", tags.sub("", article.body_kk_latn))


def test_corrections_already_made_are_never_overwritten(client, editor):
    article = make_article(
        codes=("kk",), status=Article.Status.DRAFT, title_kk_latn="Qoldan", **SHORT
    )
    data = form_data_of(article, body_kk_arab="<p>قولمەن تۇزەتىلگەن</p>")
    response = client.post(change_url(article), {**data, BUTTON: "1"}, follow=True)
    assert response.redirect_chain == [(change_url(article), 302)]
    article.refresh_from_db()
    assert article.title_kk_latn == "Qoldan"
    assert article.body_kk_arab == "<p>قولمەن تۇزەتىلگەن</p>"
    assert article.title_kk_arab == SHORT_TITLE_ARAB
    assert article.body_kk_latn == SHORT_BODY_LATN


def test_pressing_it_again_fills_nothing_and_says_so(client, editor):
    data = article_form_data(make_category(), **KAZAKH)
    client.post(add_url(), {**data, BUTTON: "1"}, follow=True)  # reads its message
    article = Article.objects.get(slug="from-the-admin")
    response = client.post(change_url(article), {**form_data_of(article), BUTTON: "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was filled: the Latin and Arabic-script Kazakh fields already have text, "
        "which is never overwritten."
    ]


def test_an_empty_body_in_the_editor_counts_as_empty(client, editor):
    article = make_article(codes=("kk",), status=Article.Status.DRAFT, **SHORT)
    data = form_data_of(article, body_kk_latn="<p></p>")
    client.post(change_url(article), {**data, BUTTON: "1"})
    article.refresh_from_db()
    assert article.body_kk_latn == SHORT_BODY_LATN


def test_without_kazakh_text_the_editor_gets_a_form_error(client, editor):
    response = client.post(add_url(), {**article_form_data(make_category()), BUTTON: "1"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [
        "Write the Kazakh (Cyrillic) text first: there is nothing to fill the Latin and "
        "Arabic-script editions from."
    ]
    assert not Article.objects.exists()


def test_a_transliteration_too_long_for_its_field_is_a_form_error(client, editor):
    # ц becomes two letters in Arabic script: 150 of them do not fit in 200.
    data = article_form_data(make_category(), title_kk="Т", image_credit_kk="ц" * 150)
    response = client.post(add_url(), {**data, BUTTON: "1"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["image_credit_kk_arab"]
    assert not Article.objects.exists()


def test_an_editor_cannot_fill_a_published_article(client, editor):
    published = make_article(codes=("kk",))
    response = client.post(change_url(published), {**form_data_of(published), BUTTON: "1"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert not published.title_kk_latn
