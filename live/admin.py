"""Live coverage in the admin: one page per covered article, its entries inline.

Who may do what follows the model permissions the newsroom's groups get in
migration 0002: editors start coverage and add and correct entries, chief
editors may also delete.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from modeltranslation.utils import get_translation_fields

from core.admin_editions import EditionFieldsMixin
from live.models import TEXT_FIELDS, LiveCoverage, LiveEntry


class LiveEntryInline(EditionFieldsMixin, TranslationStackedInline):
    model = LiveEntry
    extra = 1
    fields = ("published_at", "body", "image", "image_alt")
    ordering = ("-published_at", "-pk")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body" or db_field.name in TEXT_FIELDS:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 4, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RunningFilter(admin.SimpleListFilter):
    title = _("live now")
    parameter_name = "running"

    def lookups(self, request, model_admin):
        return (("yes", _("Live now")), ("no", _("Not live")))

    def queryset(self, request, queryset):
        match self.value():
            case "yes":
                return queryset.running()
            case "no":
                return queryset.exclude(pk__in=queryset.running())
        return queryset


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    inlines = (LiveEntryInline,)
    list_display = ("article", "started_at", "ended_at", "is_running", "entry_count")
    list_filter = (RunningFilter,)
    list_select_related = ("article",)
    search_fields = (
        "article__slug",
        *(f"article__{name}" for name in get_translation_fields("title")),
    )
    autocomplete_fields = ("article",)
    date_hierarchy = "started_at"
    actions = ("end_coverage",)

    class Media:
        # Coverage itself has no translated fields; its entries get the same
        # edition tabs as the article form.
        js = TabbedTranslationAdmin.Media.js
        css = TabbedTranslationAdmin.Media.css

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_total=Count("entries"))

    @admin.display(description=_("entries"), ordering="entry_total")
    def entry_count(self, obj):
        return obj.entry_total

    def view_on_site(self, obj):
        return obj.article.get_absolute_url()

    @admin.action(description=_("End the selected coverage now"), permissions=("change",))
    def end_coverage(self, request, queryset):
        now = timezone.now()
        ended = 0
        # Saved one by one, not update(): the save starts a new content generation,
        # so cached article pages and live feeds lose the label on the next request.
        for coverage in queryset.running():
            coverage.ended_at = now
            coverage.save(update_fields=["ended_at"])
            ended += 1
        self.message_user(
            request,
            ngettext(
                "Coverage of %(count)d article ended: its “Live” label is gone.",
                "Coverage of %(count)d articles ended: their “Live” labels are gone.",
                ended,
            )
            % {"count": ended},
            messages.SUCCESS,
        )
