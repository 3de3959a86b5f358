from modeltranslation.translator import TranslationOptions, register

from live.models import LiveEntry


@register(LiveEntry)
class LiveEntryTranslation(TranslationOptions):
    fields = ("body", "image_alt")
