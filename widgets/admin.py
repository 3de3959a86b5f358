from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.utils import get_translation_fields

from core.admin_editions import EditionFieldsMixin
from core.merge import MergeAdminMixin, MergeModelForm
from core.singleton import SingletonModelAdmin
from widgets.models import City, Rate, WeatherReading, WidgetSettings


class HistoryAdmin(admin.ModelAdmin):
    """Fetched history is the sources' word: editors may look, not touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rate)
class RateAdmin(HistoryAdmin):
    list_display = ("currency", "date", "rate", "quantity", "value", "fetched_at")
    list_filter = ("currency",)
    date_hierarchy = "date"
    search_fields = ("currency",)


@admin.register(WeatherReading)
class WeatherReadingAdmin(HistoryAdmin):
    list_display = (
        "city",
        "observed_at",
        "temperature",
        "temperature_min",
        "temperature_max",
        "weather_code",
    )
    list_filter = ("city",)
    list_select_related = ("city",)
    date_hierarchy = "observed_at"


@admin.register(City)
class CityAdmin(EditionFieldsMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug", "position", "shown", "latitude", "longitude")
    list_editable = ("position", "shown")
    search_fields = ("slug", *get_translation_fields("name"))
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(WidgetSettings)
class WidgetSettingsAdmin(MergeAdminMixin, SingletonModelAdmin):
    form = MergeModelForm
    fields = ("currencies",)
