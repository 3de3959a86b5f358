from modeltranslation.translator import TranslationOptions, register

from news.models import Article, Author, Category, Tag


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)


@register(Author)
class AuthorTranslation(TranslationOptions):
    fields = ("name", "bio")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = (
        "title",
        "lead",
        "body",
        "dateline_city",
        "image_caption",
        "image_credit",
        "image_alt",
    )
