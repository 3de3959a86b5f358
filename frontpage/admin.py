"""The chief editor's front-page screens: one page per edition, and breaking news.

Only users with this app's permissions (the Chief editor group, migration
0002) see them; Django's admin enforces that on the server.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontpage.models import BreakingNews, FrontPage, Placement


class PlacementInline(admin.TabularInline):
    model = Placement
    fields = ("slot", "article", "expires_at")
    autocomplete_fields = ("article",)
    extra = 1
    max_num = len(Placement.Slot)


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "top_story", "pinned")
    inlines = (PlacementInline,)
    readonly_fields = ("edition",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("placements__article")

    @admin.display(description=_("Top story"))
    def top_story(self, front_page):
        return next(
            (str(p.article) for p in front_page.placements.all() if p.slot == Placement.Slot.TOP),
            "—",
        )

    @admin.display(description=_("Pinned stories"))
    def pinned(self, front_page):
        return sum(1 for p in front_page.placements.all() if p.slot != Placement.Slot.TOP)

    def has_add_permission(self, request):
        return False  # one per edition, made by migration 0002

    def has_delete_permission(self, request, obj=None):
        return False


class BreakingNewsForm(forms.ModelForm):
    class Meta:
        model = BreakingNews
        fields = ("front_page", "text", "article", "expires_at")
        # The text is typed in the edition's script, right-to-left for kk-arab.
        widgets = {"text": forms.TextInput(attrs={"dir": "auto", "size": 80})}


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    form = BreakingNewsForm
    list_display = ("text", "front_page", "expires_at", "state", "created_at")
    list_filter = ("front_page",)
    list_select_related = ("front_page",)
    autocomplete_fields = ("article",)
    actions = ("lift",)

    @admin.display(description=_("state"))
    def state(self, breaking):
        if breaking.lifted_at is not None:
            return _("Lifted")
        return _("Shown") if breaking.is_active else _("Expired")

    @admin.action(description=_("Lift the selected breaking news now"), permissions=("change",))
    def lift(self, request, queryset):
        lifted = 0
        for breaking in queryset.filter(lifted_at__isnull=True):
            breaking.lifted_at = timezone.now()
            breaking.save(update_fields=["lifted_at"])  # a save: pages drop the banner at once
            lifted += 1
        self.message_user(
            request,
            _("Breaking news lifted: %(count)d.") % {"count": lifted},
            messages.SUCCESS,
        )
