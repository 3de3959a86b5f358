from modeltranslation.translator import TranslationOptions, register

from widgets.models import City


@register(City)
class CityTranslation(TranslationOptions):
    fields = ("name",)
