"""The newsroom admin: per-edition tabs, workflow, revisions and the two roles.

Roles (groups made by migration 0003): an Editor may add and change drafts but
not publish; only users with `news.publish_article` (the Chief editor group)
may publish, unpublish or change a published article. This is enforced in the
form, in save_model and in has_change_permission, not only by hiding buttons.
"""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from core import editions
from news import kazakh_scripts
from news.forms import ArticleAdminForm, PublicSubjectAdminForm, body_widget
from news.models import Article, Author, Category, SiteSettings, Tag, field_for
from news.sanitize import BODY_FIELDS

PUBLISH_PERMISSION = "news.publish_article"

# The newsroom's name instead of Django's "Django administration", in the editor's language.
admin.site.site_header = _("Kazinform newsroom")
admin.site.site_title = _("Kazinform newsroom")
admin.site.index_title = _("Newsroom administration")


def names_in_every_edition(field="name"):
    return tuple(field_for(field, code) for code in editions.CODES)


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "parent", "position")
    list_select_related = ("parent",)
    search_fields = ("slug", *names_in_every_edition())
    prepopulated_fields = {"slug": ("name_en",)}


class PublicSubjectAdmin(TabbedTranslationAdmin):
    """Tags and authors: an editor may prepare them, but once published articles
    show one, changing it is publishing, so it needs the publish right."""

    form = PublicSubjectAdminForm
    list_display = ("name", "slug")
    search_fields = ("slug", *names_in_every_edition())
    published_message = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = can_publish(request)
        form.published_message = self.published_message
        return form

    def save_model(self, request, obj, form, change):
        if not can_publish(request) and form.changes_published_articles():
            # The form refuses this already; never let it through another way.
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(Tag)
class TagAdmin(PublicSubjectAdmin):
    published_message = _(
        "This tag is shown on published articles: only a chief editor can change it."
    )


@admin.register(Author)
class AuthorAdmin(PublicSubjectAdmin):
    published_message = _(
        "This author is shown on published articles: only a chief editor can change "
        "their name, biography or photo."
    )


class StateFilter(admin.SimpleListFilter):
    """Status as editors think of it: a published article with a future time is scheduled."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
            ("unpublished", _("Unpublished")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
            case "unpublished":
                return queryset.filter(status=Article.Status.UNPUBLISHED)
        return queryset


class EditionFilter(admin.SimpleListFilter):
    title = _("edition")
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        return [(edition.code, edition.name_local) for edition in editions.EDITIONS]

    def queryset(self, request, queryset):
        if self.value() in editions.CODES:
            return queryset.in_edition(self.value())
        return queryset


def can_publish(request):
    return request.user.has_perm(PUBLISH_PERMISSION)


def preview_url(article, code):
    with translation.override(code):
        return reverse("news:preview", kwargs={"pk": article.pk})


@admin.register(Article)
class ArticleAdmin(VersionAdmin, TabbedTranslationAdmin):
    form = ArticleAdminForm
    list_display = (
        "headline",
        "edition_marks",
        "state",
        "category",
        "author_names",
        "published_at",
        "featured",
    )
    list_filter = (StateFilter, "category", EditionFilter, "authors", "featured")
    list_select_related = ("category",)
    date_hierarchy = "published_at"
    search_fields = ("slug", *names_in_every_edition("title"))
    autocomplete_fields = ("tags", "authors", "related")
    readonly_fields = ("preview_links",)
    actions = ("publish_selected", "unpublish_selected")

    class Media:
        css = {"all": ("news/admin.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # modeltranslation copies the widget of `body` to body_en, body_ru, …
        if db_field.name == "body" or db_field.name in BODY_FIELDS:
            kwargs["widget"] = body_widget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = can_publish(request)
        return form

    # --- Who may do what ---------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # A published (or scheduled) article is the chief editor's.
        return obj is None or obj.status != Article.Status.PUBLISHED or can_publish(request)

    def has_publish_permission(self, request):
        return can_publish(request)

    def save_model(self, request, obj, form, change):
        if not can_publish(request):
            stored = form.stored_status
            if obj.status != stored and Article.Status.PUBLISHED in (obj.status, stored):
                # The form refuses this already; never let it through another way.
                raise PermissionDenied
        super().save_model(request, obj, form, change)
        if form.kazakh_filled is not None:
            self._report_kazakh_scripts(request, form.kazakh_filled)

    # --- Kazakh in three scripts ------------------------------------------------

    def _report_kazakh_scripts(self, request, filled):
        if filled:
            message = ngettext(
                "%(count)d Latin or Arabic-script Kazakh field was filled from the "
                "Cyrillic text: check it and correct it by hand.",
                "%(count)d Latin and Arabic-script Kazakh fields were filled from the "
                "Cyrillic text: check them and correct them by hand.",
                len(filled),
            ) % {"count": len(filled)}
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(
                request,
                _(
                    "Nothing was filled: the Latin and Arabic-script Kazakh fields already "
                    "have text, which is never overwritten."
                ),
                messages.WARNING,
            )

    def _back_to_the_form(self, request, obj):
        """After the transliteration button, the editor goes on correcting the same article."""
        url = reverse("admin:news_article_change", args=[obj.pk])
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(context, url))

    def response_add(self, request, obj, post_url_continue=None):
        if kazakh_scripts.BUTTON in request.POST:
            return self._back_to_the_form(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if kazakh_scripts.BUTTON in request.POST:
            return self._back_to_the_form(request, obj)
        return super().response_change(request, obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting rewrites the article as it is now: check the right to change
        # it before reversion replaces it with the old version.
        current = self.get_object(request, unquote(object_id))
        if current is not None and not self.has_change_permission(request, current):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    # --- Actions --------------------------------------------------------------

    def _set_status(self, request, queryset, status, comment):
        count = 0
        for article in queryset:
            with reversion.create_revision():
                article.status = status
                article.save()
                reversion.set_user(request.user)
                reversion.set_comment(str(comment))
            count += 1
        return count

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        count = self._set_status(request, queryset, Article.Status.PUBLISHED, _("Published"))
        message = ngettext("%(count)d article published.", "%(count)d articles published.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = self._set_status(
            request,
            queryset.filter(status=Article.Status.PUBLISHED),
            Article.Status.UNPUBLISHED,
            _("Unpublished"),
        )
        message = ngettext(
            "%(count)d article unpublished.", "%(count)d articles unpublished.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    # --- What the list and the form show ----------------------------------------

    @admin.display(description=_("title"), ordering="title")
    def headline(self, article):
        """The title in the admin's language, else in the first edition that has one."""
        if article.title:
            return article.title
        for code in editions.CODES:
            if title := getattr(article, field_for("title", code)):
                return title
        return article.slug

    @admin.display(description=_("editions"))
    def edition_marks(self, article):
        present = set(article.editions())
        return format_html_join(
            " ",
            '<span class="edition {}" title="{}" lang="{}">{}</span>',
            (
                (
                    "edition-present" if edition.code in present else "edition-absent",
                    (
                        _("%(edition)s: written")
                        if edition.code in present
                        else _("%(edition)s: not written")
                    )
                    % {"edition": edition.name_local},
                    edition.bcp47,
                    edition.label,
                )
                for edition in editions.EDITIONS
            ),
        )

    @admin.display(description=_("status"), ordering="status")
    def state(self, article):
        if article.status == Article.Status.PUBLISHED and article.published_at > timezone.now():
            return _("Scheduled")
        return article.get_status_display()

    @admin.display(description=_("authors"))
    def author_names(self, article):
        return ", ".join(str(author) for author in article.authors.all())

    @admin.display(description=_("preview"))
    def preview_links(self, article):
        codes = article.editions() if article.pk else []
        if not codes:
            return _("Write a title and a body in an edition to preview it there.")
        return format_html_join(
            " ",
            '<a href="{}" target="_blank" rel="noopener" lang="{}">{}</a>',
            (
                (preview_url(article, code), editions.get(code).bcp47, editions.get(code).label)
                for code in codes
            ),
        )

    def view_on_site(self, article):
        """The reader page once readers can see it, a preview until then."""
        codes = article.editions()
        if not codes:
            return None
        code = translation.get_language() if translation.get_language() in codes else codes[0]
        if article.is_public:
            with translation.override(code):
                return article.get_absolute_url()
        return preview_url(article, code)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
