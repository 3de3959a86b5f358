"""Galleries with their photos in order, and articles' videos.

As with articles, only users with `multimedia.publish_gallery` (the Chief editor
group, migration 0002) may publish a gallery or change a published one; an
Editor prepares drafts.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from core.admin_editions import EditionFieldsMixin
from multimedia.forms import GalleryAdminForm, VideoAdminForm
from multimedia.models import Gallery, Photo, Status, Video
from news.admin import FoldedSearchMixin
from news.admin_editions import EditionTranslationAdmin

PUBLISH_PERMISSION = "multimedia.publish_gallery"


class PhotoInline(EditionFieldsMixin, TranslationTabularInline):
    model = Photo
    extra = 1
    fields = ("position", "image", "caption", "credit", "alt")
    ordering = ("position", "pk")


@admin.register(Gallery)
class GalleryAdmin(FoldedSearchMixin, EditionTranslationAdmin):
    # As the article form: tabs named by the editions' own names, full-width inputs,
    # history in the reader's language (news.admin_editions).
    # The slug is filled from the title by core.slugs' rules (news/slug.js in the
    # browser, the form on the server), as an article's is.
    form = GalleryAdminForm
    inlines = [PhotoInline]
    list_display = ("title", "slug", "status", "published_at", "photo_count")
    list_filter = ("status",)
    autocomplete_fields = ("article",)
    date_hierarchy = "published_at"

    class Media:
        js = ("news/slug.js",)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(photos_count=Count("photos"))

    @admin.display(description=_("photos"), ordering="photos_count")
    def photo_count(self, obj):
        return obj.photos_count

    def can_publish(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.can_publish(request):
            readonly.append("status")
        return readonly

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.status == Status.PUBLISHED and not self.can_publish(request):
            return False  # what readers see changes only through a chief editor
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is not None and obj.status == Status.PUBLISHED and not self.can_publish(request):
            return False
        return allowed


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    form = VideoAdminForm
    list_display = ("article", "kind_label", "created_at")
    list_select_related = ("article",)
    search_fields = ("article__slug", *(f"article__{f}" for f in get_translation_fields("title")))
    autocomplete_fields = ("article",)

    @admin.display(description=_("kind"))
    def kind_label(self, obj):
        return obj.Kind(obj.kind).label
