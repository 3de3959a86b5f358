"""Site settings in the admin: the chief editor changes them, an editor may only look."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from news.models import SiteSettings
from tests.admin_helpers import CHIEF_EDITOR, EDITOR, make_staff
from tests.caching import warm
from widgets.models import City, WidgetSettings

pytestmark = pytest.mark.django_db

PHONE = "/en/admin/news/sitesettings/1/change/"
WIDGETS = "/en/admin/widgets/widgetsettings/1/change/"
CITIES = "/en/admin/widgets/city/"


@pytest.fixture
def rows():
    return SiteSettings.current(), WidgetSettings.current()


def cities_form(cities, **changes):
    """The city changelist's editable rows as posted, with `changes` {slug: (position, shown)}."""
    data = {
        "form-TOTAL_FORMS": len(cities),
        "form-INITIAL_FORMS": len(cities),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for index, city in enumerate(cities):
        position, shown = changes.get(city.slug, (city.position, city.shown))
        data[f"form-{index}-id"] = city.pk
        data[f"form-{index}-position"] = position
        if shown:
            data[f"form-{index}-shown"] = "on"
    return data


def test_the_migration_gives_the_settings_to_the_roles():
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert {
        "change_sitesettings", "change_widgetsettings", "change_city", "add_city",
        "view_rate", "view_weatherreading",
    } <= codenames(CHIEF_EDITOR)  # fmt: skip
    editor = codenames(EDITOR)
    assert {"view_sitesettings", "view_widgetsettings", "view_city", "view_rate"} <= editor
    assert not {"change_sitesettings", "change_widgetsettings", "change_city"} & editor


def test_chief_editor_changes_the_contact_phone_readers_see(client, rows, each_cache):
    reader = Client()  # anonymous: served from the page cache
    assert "+7 701 759 90 19" in warm(reader, "/en/")
    client.force_login(make_staff(CHIEF_EDITOR))
    response = client.post(PHONE, {"phone": "+7 717 200 00 00"})
    assert response.status_code == 302
    assert SiteSettings.current().phone == "+7 717 200 00 00"
    page = reader.get("/en/").content.decode()
    assert "+7 717 200 00 00" in page
    assert "+7 701 759 90 19" not in page


def test_chief_editor_chooses_the_currencies(client, rows):
    client.force_login(make_staff(CHIEF_EDITOR))
    assert client.post(WIDGETS, {"currencies": "usd, cny"}).status_code == 302
    assert WidgetSettings.current().currencies == "USD, CNY"


def test_a_bad_currency_code_is_a_form_error(client, rows):
    client.force_login(make_staff(CHIEF_EDITOR))
    response = client.post(WIDGETS, {"currencies": "USD, dollars"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["currencies"]
    assert WidgetSettings.current().currencies == "USD, EUR, RUB, CNY"


def test_chief_editor_hides_and_reorders_weather_cities(client):
    client.force_login(make_staff(CHIEF_EDITOR))
    cities = list(City.objects.order_by("position", "slug"))
    response = client.post(CITIES, cities_form(cities, almaty=(0, True), astana=(1, False)))
    assert response.status_code == 302
    assert [c.slug for c in City.objects.shown()][:1] == ["almaty"]
    assert not City.objects.get(slug="astana").shown


def test_editor_sees_the_settings_without_a_save_button(client, rows):
    client.force_login(make_staff(EDITOR))
    for url in (PHONE, WIDGETS, CITIES, "/en/admin/widgets/rate/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="_save"' not in response.content.decode(), url


def test_editor_cannot_change_the_settings_by_a_crafted_post(client, rows):
    client.force_login(make_staff(EDITOR))
    assert client.post(PHONE, {"phone": "+1 555 0100"}).status_code == 403
    assert client.post(WIDGETS, {"currencies": "GBP"}).status_code == 403
    cities = list(City.objects.order_by("position", "slug"))
    client.post(CITIES, cities_form(cities, astana=(9, False)))
    assert SiteSettings.current().phone != "+1 555 0100"
    assert WidgetSettings.current().currencies != "GBP"
    assert City.objects.get(slug="astana").shown


def test_the_admin_is_headed_with_the_newsroom_name(client):
    client.force_login(make_staff(EDITOR))
    html = client.get("/en/admin/").content.decode()
    assert "<title>Newsroom administration | Kazinform newsroom</title>" in html
    assert '<a href="/en/admin/">Kazinform newsroom</a>' in html
    assert "Django administration" not in html
