"""Every admin page of the project's models loads for a chief editor in all seven languages."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import editions
from frontpage.models import BreakingNews, FrontPage
from news.models import Article, SiteSettings
from tests.admin_helpers import CHIEF_EDITOR, make_staff
from tests.builders import make_article, make_author, make_category, make_tag
from widgets.models import City, Rate, WeatherReading, WidgetSettings

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("news", "widgets", "frontpage")


def project_model_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
    ]


@pytest.fixture
def one_of_each():
    """One stored object of every model the walk visits."""
    tag, author = make_tag(), make_author()
    city = City.objects.order_by("position").first()  # made by widgets migration 0002
    now = timezone.now()
    return {
        Article: make_article(codes=editions.CODES, tags=[tag], authors=[author]),
        Article.category.field.related_model: make_category(),
        type(tag): tag,
        type(author): author,
        SiteSettings: SiteSettings.current(),
        WidgetSettings: WidgetSettings.current(),
        City: city,
        Rate: Rate.objects.create(
            currency="USD",
            date=date.today(),
            rate=Decimal("447.9"),
            quantity=1,
            value=Decimal("447.9"),
            fetched_at=now,
        ),
        WeatherReading: WeatherReading.objects.create(
            city=city,
            observed_at=now - timedelta(hours=1),
            temperature=Decimal("12.5"),
            temperature_min=Decimal("5"),
            temperature_max=Decimal("15"),
            weather_code=3,
            fetched_at=now,
        ),
        FrontPage: FrontPage.objects.get(edition="en"),  # made by frontpage migration 0002
        BreakingNews: BreakingNews.objects.create(
            front_page_id="en", text="Breaking", expires_at=now + timedelta(hours=1)
        ),
    }


def pages(model, model_admin, obj, user):
    """The admin URLs of `model` that `user` may open, as the admin itself decides."""
    request = RequestFactory().get("/")
    request.user = user
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    yield reverse(f"{prefix}_changelist")
    if model_admin.has_add_permission(request):
        yield reverse(f"{prefix}_add")
    yield reverse(f"{prefix}_change", args=[obj.pk])
    yield reverse(f"{prefix}_history", args=[obj.pk])
    if model_admin.has_delete_permission(request, obj):
        yield reverse(f"{prefix}_delete", args=[obj.pk])


def test_every_project_model_is_walked(one_of_each):
    assert {model for model, _admin in project_model_admins()} <= set(one_of_each)


@pytest.mark.parametrize("code", editions.CODES)
def test_every_admin_page_loads_in_every_language(client, one_of_each, code):
    chief = make_staff(CHIEF_EDITOR)
    client.force_login(chief)
    edition = editions.get(code)
    visited, failures = [], []
    for model, model_admin in project_model_admins():
        for url in pages(model, model_admin, one_of_each[model], chief):
            path = f"/{code}{url.removeprefix('/en')}" if url.startswith("/en/") else url
            response = client.get(path)
            visited.append(path)
            html = response.content.decode()
            if response.status_code != 200:
                failures.append((path, response.status_code))
            elif f'<html lang="{edition.bcp47}"' not in html:
                failures.append((path, re.search(r"<html[^>]*>", html).group()))
    assert failures == []
    # Changelist, change and history of the nine models, and more where allowed.
    assert len(visited) >= 27
