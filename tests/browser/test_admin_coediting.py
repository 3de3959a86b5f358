"""Two editors, signed in at once in two admin languages, edit one article:
each sees the other and the other's save, and unsaved typing survives a reload."""

import re
import time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from coediting.models import Autosave, Presence
from news.models import Article
from tests.admin_helpers import EDITOR, make_staff
from tests.browser.conftest import HEADLINES, headline_fields
from tests.builders import make_article, make_category

pytestmark = pytest.mark.browser

PASSWORD = "unused-in-tests"  # tests.admin_helpers.make_staff's


@pytest.fixture(autouse=True)
def fast_heartbeats(settings):
    settings.COEDITING_HEARTBEAT_SECONDS = 1
    settings.COEDITING_AUTOSAVE_SECONDS = 1


def editor(username, first_name):
    user = make_staff(EDITOR, username)
    user.first_name = first_name
    user.save()
    return user


def sign_in(page, site, language, username):
    page.goto(f"{site}/{language}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/{language}/admin/")


def test_two_desks_see_each_other_and_keep_their_unsaved_text(open_page, site, screenshots_dir):
    article = make_article(
        codes=(),
        category=make_category(),
        status=Article.Status.DRAFT,
        **headline_fields(("en", "kk-arab")),
    )
    editor("aigerim", "Aigerim")
    editor("bolat", "Bolat")
    english, arabic = open_page(), open_page()
    sign_in(english, site, "en", "aigerim")
    sign_in(arabic, site, "kk-arab", "bolat")
    change = f"/admin/news/article/{article.pk}/change/"

    english.goto(f"{site}/en{change}")
    arabic.goto(f"{site}/kk-arab{change}")
    # Each admin opens the form in the tab of its own language.
    english.get_by_text("Bolat also has this article open, in the kk-arab tab.").wait_for()
    arabic.get_by_text("بۇل ماقالانى قازىر Aigerim اشىپ وتىر (en قويىندىسى).").wait_for()
    # Switching tabs shows on the other side within a heartbeat.
    english.locator('.ui-tabs-nav a[href="#tab_id_title_ru"]').click()
    arabic.get_by_text("Aigerim اشىپ وتىر (ru قويىندىسى)").wait_for()
    english.screenshot(path=screenshots_dir / "admin-presence-en.png", full_page=False)

    # Bolat types in his edition; the change is stored on the server.
    arabic.fill("#id_title_kk_arab", "سەنات سپيكەرى — جاڭا تاقىرىپ")
    body = arabic.locator("#tab_id_body_kk_arab .ProseMirror[contenteditable]")
    body.click()
    arabic.keyboard.press("Control+End")
    arabic.keyboard.type(" جاڭا سوٴيلەم")
    arabic.locator(".coediting-status").get_by_text("ساقتالماعان وزگەرىستەر").wait_for()

    # Aigerim saves the English edition: Bolat is told, in his language, without a reload.
    english.locator('.ui-tabs-nav a[href="#tab_id_title_en"]').first.click()
    english.fill("#id_title_en", "Senate speaker meets the ambassador")
    english.click("input[name=_continue]")
    english.wait_for_url(re.compile(r".*/change/$"))
    now = timezone.localtime().strftime("%H:%M")
    arabic.get_by_text(f"Aigerim en نۇسقاسىن {now} كەزىندە ساقتادى.").wait_for()
    arabic.screenshot(path=screenshots_dir / "admin-presence-kk-arab.png", full_page=False)

    # Leaving with unsaved changes asks first…
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()

    arabic.on("dialog", answer)
    arabic.reload()
    assert asked == ["beforeunload"]
    # …the unsaved text goes to the server as the page goes (a beacon, which may land
    # after the reloaded form was served: then the next opening has it)…
    bolat = User.objects.get(username="bolat")
    deadline = time.monotonic() + 10
    while "جاڭا سوٴيلەم" not in str(Autosave.objects.of(bolat, article).values("data").first()):
        assert time.monotonic() < deadline, "the unsaved text never reached the server"
        time.sleep(0.2)
    if "جاڭا سوٴيلەم" not in arabic.content():
        arabic.reload()
    # …and the form offers the unsaved text back.
    offer = arabic.locator(".coediting-offer")
    offer.wait_for()
    assert re.search(r"\d\d:\d\d", offer.inner_text())
    assert arabic.input_value("#id_title_kk_arab") == HEADLINES["kk-arab"]
    offer.locator(".coediting-restore").click()
    assert arabic.input_value("#id_title_kk_arab") == "سەنات سپيكەرى — جاڭا تاقىرىپ"
    assert body.inner_text().endswith("جاڭا سوٴيلەم")
    # The other editor's saved English title is not put back to the old one.
    assert arabic.input_value("#id_title_en") == "Senate speaker meets the ambassador"

    arabic.click("input[name=_continue]")
    arabic.wait_for_url(re.compile(r".*/change/$"))
    article.refresh_from_db()
    assert article.title_en == "Senate speaker meets the ambassador"
    assert article.title_kk_arab == "سەنات سپيكەرى — جاڭا تاقىرىپ"
    assert "جاڭا سوٴيلەم" in article.body_kk_arab
    assert arabic.locator(".coediting-offer").count() == 0

    # Closing the form says goodbye at once: the other desk's list empties.
    arabic.locator(".coediting-editor").wait_for()
    english.goto(f"{site}/en/admin/")
    arabic.locator(".coediting-editor").wait_for(state="detached")
    assert list(Presence.objects.values_list("user__username", flat=True)) == ["bolat"]
