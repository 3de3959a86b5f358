"""Merge, never overwrite: desks editing one row at once never lose each other's work."""

import pytest
from django.urls import reverse

from news.models import Article, Author, Category, SiteSettings, Tag
from tests.admin_helpers import change_url
from tests.builders import make_article, make_author, make_category, make_tag
from tests.merge_helpers import hidden_value, open_form, page, signed_in
from widgets.models import WidgetSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def aigerim():
    return signed_in("Aigerim")


@pytest.fixture
def boris():
    return signed_in("Boris")


@pytest.fixture
def article():
    return make_article("Budget", codes=("en", "kk"), status=Article.Status.DRAFT)


def test_two_desks_editing_different_editions_both_survive(aigerim, boris, article):
    url = change_url(article)
    english, kazakh = open_form(aigerim, url), open_form(boris, url)
    english["title_en"] = "Budget passed"
    kazakh["title_kk"] = "Бюджет қабылданды"
    kazakh["lead_kk"] = "Мәжіліс бюджетті қабылдады"

    assert aigerim.post(url, english).status_code == 302
    assert boris.post(url, kazakh).status_code == 302

    article.refresh_from_db()
    assert article.title_en == "Budget passed"
    assert article.title_kk == "Бюджет қабылданды"
    assert article.lead_kk == "Мәжіліс бюджетті қабылдады"


def test_edits_to_different_fields_tags_authors_and_time_all_survive(aigerim, boris, article):
    url = change_url(article)
    senate, writer = make_tag("senate"), make_author("asel")
    first, second = open_form(aigerim, url), open_form(boris, url)
    first["tags"] = [str(senate.pk)]
    first["published_at_1"] = "09:30:00"
    second["authors"] = [str(writer.pk)]
    second["featured"] = "on"

    assert aigerim.post(url, first).status_code == 302
    assert boris.post(url, second).status_code == 302

    article.refresh_from_db()
    assert list(article.tags.all()) == [senate]
    assert list(article.authors.all()) == [writer]
    assert article.featured is True
    assert article.published_at.astimezone().strftime("%H:%M") == "09:30"


def test_same_field_changed_by_both_comes_back_as_a_choice_and_saves_nothing(
    aigerim, boris, article
):
    url = change_url(article)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first["title_en"] = "Budget passed at dawn"
    second["title_en"] = "Budget passed after midnight"
    second["lead_kk"] = "Түнде қабылданды"
    assert aigerim.post(url, first).status_code == 302

    response = boris.post(url, second)

    assert response.status_code == 200
    text = page(response)
    assert "Changed by you and by someone else" in text
    assert "Saved by Aigerim at" in text
    assert "Budget passed at dawn" in text  # theirs, beside…
    assert "Budget passed after midnight" in text  # …mine, still in the form
    assert "Түнде қабылданды" in text  # every other field as typed
    assert 'name="_merge_keep-title_en" value="theirs"' in text
    article.refresh_from_db()
    assert article.title_en == "Budget passed at dawn"
    assert article.lead_kk != "Түнде қабылданды"


@pytest.mark.parametrize(
    ("choice", "title"),
    [("mine", "Budget passed after midnight"), ("theirs", "Budget passed at dawn")],
)
def test_choosing_a_version_resolves_the_conflict(aigerim, boris, article, choice, title):
    url = change_url(article)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first["title_en"] = "Budget passed at dawn"
    second["title_en"] = "Budget passed after midnight"
    second["lead_kk"] = "Түнде қабылданды"
    aigerim.post(url, first)
    conflict = boris.post(url, second)

    second["_merge_base"] = hidden_value(conflict, "_merge_base")
    second["_merge_seen"] = hidden_value(conflict, "_merge_seen")
    second["_merge_keep-title_en"] = choice
    assert boris.post(url, second).status_code == 302

    article.refresh_from_db()
    assert article.title_en == title
    assert article.lead_kk == "Түнде қабылданды"


def test_a_choice_made_on_an_older_version_is_asked_again(aigerim, boris, article):
    url = change_url(article)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first["title_en"] = "Version one"
    second["title_en"] = "Boris's version"
    aigerim.post(url, first)
    conflict = boris.post(url, second)
    third = open_form(aigerim, url)
    third["title_en"] = "Version two"
    aigerim.post(url, third)

    second["_merge_seen"] = hidden_value(conflict, "_merge_seen")
    second["_merge_keep-title_en"] = "mine"
    again = boris.post(url, second)

    assert again.status_code == 200
    assert "Version two" in page(again)
    article.refresh_from_db()
    assert article.title_en == "Version two"


def test_conflict_is_shown_in_the_editors_admin_language(aigerim, boris, article):
    url = change_url(article)
    kk_arab_url = url.replace("/en/", "/kk-arab/", 1)
    first, second = open_form(aigerim, url), open_form(boris, kk_arab_url)
    first["title_kk_arab"] = "بيۋدجەت"
    second["title_kk_arab"] = "بيۋدجەت قابىلداندى"
    aigerim.post(url, first)

    response = boris.post(kk_arab_url, second)

    text = page(response)
    assert "ساقتالعان نۇسقانى قالدىرۋ" in text  # "Keep this saved version"
    assert "Aigerim ساقتادى" in text  # "Saved by Aigerim at …"
    assert "Keep this saved version" not in text
    assert 'lang="kk-Arab" dir="rtl">بيۋدجەت</div>' in text


def test_a_tampered_snapshot_is_refused_with_a_message_not_an_error_page(boris, article):
    url = change_url(article)
    data = open_form(boris, url)
    data["_merge_base"] = "forged"
    data["title_en"] = "Mine"

    response = boris.post(url, data)

    assert response.status_code == 200
    assert "could not be compared with what others saved" in page(response)
    # The next save is compared with the article as it is now.
    data["_merge_base"] = hidden_value(response, "_merge_base")
    assert boris.post(url, data).status_code == 302


# --- Categories, tags, authors and the settings editors change ------------------


def admin_change(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.fixture(
    params=[
        ("category", make_category, "name"),
        ("tag", make_tag, "name"),
        ("author", make_author, "name"),
    ],
    ids=lambda p: p[0],
)
def named(request):
    _kind, build, field = request.param
    return build(), field


def test_names_in_two_editions_both_survive(aigerim, boris, named):
    obj, field = named
    url = admin_change(obj)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first[f"{field}_en"] = "Economy"
    second[f"{field}_ru"] = "Экономика"

    assert aigerim.post(url, first).status_code == 302
    assert boris.post(url, second).status_code == 302

    obj.refresh_from_db()
    assert getattr(obj, f"{field}_en") == "Economy"
    assert getattr(obj, f"{field}_ru") == "Экономика"


def test_the_same_name_changed_by_both_is_a_choice(aigerim, boris, named):
    obj, field = named
    url = admin_change(obj)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first[f"{field}_en"] = "Economy"
    second[f"{field}_en"] = "Business"
    aigerim.post(url, first)

    conflict = boris.post(url, second)
    assert conflict.status_code == 200
    assert "Saved by Aigerim at" in page(conflict)
    obj.refresh_from_db()
    assert getattr(obj, f"{field}_en") == "Economy"

    second["_merge_seen"] = hidden_value(conflict, "_merge_seen")
    second[f"_merge_keep-{field}_en"] = "mine"
    assert boris.post(url, second).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, f"{field}_en") == "Business"


def test_widget_settings_conflict_is_a_choice(aigerim, boris):
    settings_row = WidgetSettings.objects.create()
    url = admin_change(settings_row)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first["currencies"] = "USD, EUR"
    second["currencies"] = "CNY"
    aigerim.post(url, first)

    conflict = boris.post(url, second)

    assert conflict.status_code == 200
    assert "USD, EUR" in page(conflict)
    assert WidgetSettings.objects.get().currencies == "USD, EUR"
    second["_merge_seen"] = hidden_value(conflict, "_merge_seen")
    second["_merge_keep-currencies"] = "theirs"
    assert boris.post(url, second).status_code == 302
    assert WidgetSettings.objects.get().currencies == "USD, EUR"


def test_site_settings_saved_by_both_keep_the_later_change_when_only_one_changed(aigerim, boris):
    row = SiteSettings.current()
    url = admin_change(row)
    first, second = open_form(aigerim, url), open_form(boris, url)
    first["phone"] = "+7 700 000 00 00"
    aigerim.post(url, first)

    # Boris saves his unchanged form: Aigerim's phone stays.
    assert boris.post(url, second).status_code == 302
    assert SiteSettings.current().phone == "+7 700 000 00 00"


def test_models_without_a_second_editor_save_as_before(aigerim):
    category = Category.objects.create(slug="sport", name_en="Sport")
    url = admin_change(category)
    data = open_form(aigerim, url)
    data["name_en"] = "Sports"
    assert aigerim.post(url, data).status_code == 302
    assert Category.objects.get().name_en == "Sports"
    assert Tag.objects.count() == 0 and Author.objects.count() == 0
