from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from news.models import Article, Author, Category, SiteSettings, Tag
from portal import editions


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "parent", "position")
    list_select_related = ("parent",)
    search_fields = ("slug", *(f"name_{c.replace('-', '_')}" for c in editions.CODES))
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Tag)
class TagAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("slug", *(f"name_{c.replace('-', '_')}" for c in editions.CODES))


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("slug", *(f"name_{c.replace('-', '_')}" for c in editions.CODES))


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    list_display = ("__str__", "status", "category", "published_at", "featured", "edition_list")
    list_filter = ("status", "featured", "category")
    list_select_related = ("category",)
    date_hierarchy = "published_at"
    search_fields = tuple(f"title_{c.replace('-', '_')}" for c in editions.CODES)
    autocomplete_fields = ("tags", "authors", "related")
    raw_id_fields = ()

    @admin.display(description=_("editions"))
    def edition_list(self, article):
        return " ".join(editions.get(code).label for code in article.editions())


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
