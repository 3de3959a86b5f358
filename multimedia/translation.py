from modeltranslation.translator import TranslationOptions, register

from multimedia.models import Gallery, Photo


@register(Gallery)
class GalleryTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Photo)
class PhotoTranslation(TranslationOptions):
    fields = ("caption", "credit", "alt")
