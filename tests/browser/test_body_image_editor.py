"""In a real browser: the body editor's picture button uploads an image and writes the
figure readers get; a click on the lead image sets its focal point. Under the strict
Content-Security-Policy, with no violation."""

import io

import pytest
from django.contrib.auth.models import User
from PIL import Image

from news.models import Article, BodyImage
from tests.browser.conftest import jpeg
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.builders import make_article

pytestmark = pytest.mark.browser


def sign_in(page, site):
    User.objects.create_superuser("chief", password="a long enough password 42")
    page.goto(site + "/en/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long enough password 42")
    page.click("input[type=submit]")
    page.wait_for_url(site + "/en/admin/")


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 60, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_editor_puts_a_picture_in_the_body_and_readers_see_its_figure(page, site, newsroom):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, site)
    article = make_article("Harvest", codes=("en",), category=newsroom.news)
    page.goto(site + f"/en/admin/news/article/{article.pk}/change/")
    editor = page.locator(".ProseMirror:visible").first
    editor.wait_for(state="visible")
    editor.click()
    page.keyboard.press("End")

    page.locator('button[title="Insert image"]:visible').first.click()
    dialog = page.locator("dialog.body-image-dialog")
    dialog.wait_for(state="visible")
    # Without an alt text nothing is inserted, and the editor is told why.
    dialog.locator('input[type="file"]').set_input_files(
        {"name": "field.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    dialog.locator('button[type="submit"]').click()
    dialog.locator(".body-image-error", has_text="Describe the picture").wait_for()
    assert not BodyImage.objects.exists()

    fields = dialog.locator('input[type="text"]')
    fields.nth(0).fill("A red field under a low sun")
    fields.nth(1).fill("Harvest near Kostanay")
    fields.nth(2).fill("Photo: A. Ali")
    dialog.locator('button[type="submit"]').click()
    dialog.wait_for(state="detached")
    image = BodyImage.objects.get()
    editor.locator(f'figure[data-body-image="{image.pk}"] img').wait_for()

    page.locator('input[name="_continue"]').click()
    page.wait_for_url(f"**/article/{article.pk}/change/")
    article.refresh_from_db()
    assert f'<figure data-body-image="{image.pk}" data-alt="A red field under a low sun"' in (
        article.body_en
    )

    page.goto(site + article.get_absolute_url())
    figure = page.locator("figure.body-image")
    assert figure.locator("img").get_attribute("alt") == "A red field under a low sun"
    assert figure.locator("img").get_attribute("loading") == "lazy"
    assert figure.locator(".caption").inner_text() == "Harvest near Kostanay"
    assert figure.locator(".credit").inner_text() == "Photo: A. Ali"
    # Lazy: it loads once near the viewport, after the page's load event. A picture that
    # fails to load never gets a width, and the wait times out.
    picture = figure.locator("img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    assert page.evaluate("window.__violations") == []


def test_choosing_an_uploaded_picture_and_clicking_the_focal_point(page, site, newsroom):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, site)
    existing = BodyImage()
    existing.image = jpeg("earlier.jpg", (640, 400))
    existing.save()
    article = make_article("Lead", codes=("en",), category=newsroom.news)
    article.image = jpeg("lead.jpg", (800, 400))
    article.save()
    page.goto(site + f"/en/admin/news/article/{article.pk}/change/")

    # The focal point: a click a quarter across and three quarters down.
    picture = page.locator(".focal-point img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert float(page.input_value("#id_image_focus_x")) == pytest.approx(0.25, abs=0.01)
    assert float(page.input_value("#id_image_focus_y")) == pytest.approx(0.75, abs=0.01)

    editor = page.locator(".ProseMirror:visible").first
    editor.click()
    page.locator('button[title="Insert image"]:visible').first.click()
    dialog = page.locator("dialog.body-image-dialog")
    dialog.get_by_role("button", name="Choose an uploaded image").click()
    dialog.locator(".body-image-choice").first.click()
    dialog.locator('input[type="text"]').first.fill("An earlier picture")
    dialog.locator('button[type="submit"]').click()
    dialog.wait_for(state="detached")
    page.locator('input[name="image_alt_en"]').fill("A lead picture")
    page.locator('input[name="_continue"]').click()
    page.wait_for_url(f"**/article/{article.pk}/change/")
    article = Article.objects.get(pk=article.pk)
    assert (round(article.image_focus_x, 2), round(article.image_focus_y, 2)) == (0.25, 0.75)
    assert f'data-body-image="{existing.pk}" data-alt="An earlier picture"' in article.body_en
    assert BodyImage.objects.count() == 1
    assert page.evaluate("window.__violations") == []
