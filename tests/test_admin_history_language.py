"""The history of an article (and of any translated object) reads in the language of
whoever reads it, with the changed fields named in that language, whatever the
language of the editor who saved."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from news.models import Article
from tests.admin_helpers import (
    CHIEF_EDITOR,
    EDITOR,
    add_url,
    article_form_data,
    change_url,
    make_staff,
)
from tests.builders import make_category

pytestmark = pytest.mark.django_db


def history_cells(client, article, code):
    with translation.override(code):
        html = client.get(reverse("admin:news_article_history", args=[article.pk])).content
    return re.findall(r"<td>([^<]*[.。])</td>", html.decode())


@pytest.fixture
def saved_in_kazakh(client):
    """An editor working in the kk admin writes an article, then changes two editions."""
    category = make_category()
    client.force_login(make_staff(EDITOR, "aigerim"))
    data = article_form_data(category, title_kk="Бірінші тақырып", body_kk="<p>Мәтін</p>")
    with translation.override("kk"):
        assert client.post(add_url(), data).status_code == 302
        article = Article.objects.get()
        data.update(lead_kk_arab="جاڭا كىرىسپە", dateline_city_ru="Астана")
        assert client.post(change_url(article), data).status_code == 302
    return article


def test_history_is_in_the_readers_language_with_translated_field_names(client, saved_in_kazakh):
    changed, added = history_cells(client, saved_in_kazakh, "ru")
    assert added == "Добавлено."
    assert changed.startswith("Изменено: ")
    assert "Лид [Казахский (арабское письмо)]" in changed
    assert "Город в датлайне [Русский]" in changed
    english_changed, english_added = history_cells(client, saved_in_kazakh, "en")
    assert english_added == "Added."
    assert "Lead [Kazakh (Arabic)]" in english_changed
    assert "Dateline city [Russian]" in english_changed
    # Nothing of the saver's Kazakh is left in either reading.
    assert not re.search(r"[әіңғүұқөһ]", changed + english_changed)


def test_arabic_script_reader_reads_the_field_names_in_arabic_script(client, saved_in_kazakh):
    changed, added = history_cells(client, saved_in_kazakh, "kk-arab")
    assert not re.search(r"[A-Za-z\u0400-\u04ff]", changed + added), changed


def test_workflow_comments_are_translated_when_read(client):
    chief = make_staff(CHIEF_EDITOR, "chief")
    client.force_login(chief)
    category = make_category()
    with translation.override("uz"):
        assert client.post(add_url(), article_form_data(category)).status_code == 302
        article = Article.objects.get()
        changelist = reverse("admin:news_article_changelist")
        client.post(changelist, {"action": "publish_selected", "_selected_action": [article.pk]})
    # Published in the Uzbek admin, read in English and in Russian.
    assert "Published" in history_cells_any(client, article, "en")
    assert "Опубликовано" in history_cells_any(client, article, "ru")


def history_cells_any(client, article, code):
    with translation.override(code):
        html = client.get(reverse("admin:news_article_history", args=[article.pk])).content
    return [cell.strip() for cell in re.findall(r"<td>([^<]+)</td>", html.decode())]


def test_django_history_of_a_category_names_fields_in_the_readers_language(client):
    client.force_login(make_staff(CHIEF_EDITOR, "chief"))
    category = make_category()
    with translation.override("zh-hans"):
        url = reverse("admin:news_category_change", args=[category.pk])
        data = {
            "slug": category.slug,
            "position": category.position,
            **{f"name_{c}": getattr(category, f"name_{c}") or "" for c in ("en", "ru", "kk")},
            "name_kk_latn": "Jaña",
            "name_zh_hans": category.name_zh_hans,
            "name_kk_arab": category.name_kk_arab,
            "name_uz": category.name_uz,
        }
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get()
    assert "name_kk_latn" in entry.change_message  # stored as data, not as words
    with translation.override("ru"):
        html = client.get(reverse("admin:news_category_history", args=[category.pk])).content
    assert "Изменено: Название [Казахский (латиница)]." in html.decode()


def test_a_restored_field_reads_in_the_readers_language_not_the_restorers(client):
    """An editor in the English admin restores a lead; a Russian reader sees no English."""
    client.force_login(make_staff(EDITOR, "aigerim"))
    data = article_form_data(make_category(), lead_ru="Первый лид.")
    with translation.override("en"):
        with time_machine.travel(datetime(2026, 11, 30, 9, 5, tzinfo=UTC), tick=False):
            assert client.post(add_url(), data).status_code == 302
        article = Article.objects.get()
        data.update(lead_ru="Второй лид.")
        assert client.post(change_url(article), data).status_code == 302
        first = Version.objects.get_for_object(article).last()
        restore = reverse("admin:news_article_restore_field", args=[article.pk])
        client.post(restore, {"version": first.pk, "field": "lead_ru"})
    # 09:05 UTC is 14:05 in Almaty; each reader gets the date in their own edition's format.
    assert "Поле лид [Русский] восстановлено из версии от 30 ноября 2026 г., 14:05" in (
        history_cells_any(client, article, "ru")
    )
    assert "Restored lead [Russian] from the revision of 30 November 2026, 14:05" in (
        history_cells_any(client, article, "en")
    )


def admin_home_queries(client, code):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/{code}/admin/").content.decode()
    return html, len(queries)


def test_recent_actions_name_each_object_in_the_readers_language(client):
    client.force_login(make_staff(EDITOR, "aigerim"))
    category = make_category()
    with translation.override("en"):
        data = article_form_data(
            category,
            title_en="Senate passes the budget",
            title_ru="Сенат принял бюджет",
            body_ru="<p>Текст</p>",
        )
        assert client.post(add_url(), data).status_code == 302
    assert LogEntry.objects.get().object_repr == "Senate passes the budget"
    recent = recent_actions_module(admin_home(client, "ru"))
    assert "Сенат принял бюджет" in recent
    assert "Senate" not in recent
    assert "Senate passes the budget" in recent_actions_module(admin_home(client, "en"))
    # A deleted article keeps the title it was logged with.
    Article.objects.all().delete()
    assert "Senate passes the budget" in recent_actions_module(admin_home(client, "ru"))


def test_recent_actions_fetch_the_objects_in_bulk_not_one_query_per_row(client):
    client.force_login(make_staff(EDITOR, "aigerim"))
    category = make_category()
    with translation.override("en"):
        assert client.post(add_url(), article_form_data(category, slug="one")).status_code == 302
        _html, one_row = admin_home_queries(client, "ru")
        for n in range(2, 8):
            data = article_form_data(
                category, slug=f"n-{n}", title_ru=f"Статья {n}", body_ru="<p>Текст</p>"
            )
            assert client.post(add_url(), data).status_code == 302
    html, seven_rows = admin_home_queries(client, "ru")
    assert recent_actions_module(html).count("<li") == 7
    assert seven_rows == one_row


def admin_home(client, code):
    return client.get(f"/{code}/admin/").content.decode()


def recent_actions_module(html):
    start = html.index('id="recent-actions-module"')
    return html[start : html.index("</div>", start)]
