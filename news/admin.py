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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname
from reversion.admin import VersionAdmin
from reversion.models import Version

from coediting.admin import CoeditingAdminMixin
from core import editions
from core.casefold import fold
from core.merge import MergeAdminMixin, MergeModelForm
from core.singleton import SingletonModelAdmin
from news import body_images, desk, kazakh_scripts, revisions, workflow
from news.admin_editions import (
    EditionHistoryMixin,
    EditionTranslationAdmin,
    edition_name,
    restored_message,
)
from news.forms import (
    ArticleAdminForm,
    CategoryAdminForm,
    PublicSubjectAdminForm,
    ReviewDecisionForm,
    SubmitForReviewForm,
    body_widget,
)
from news.images import renditions
from news.models import Article, Author, Category, SiteSettings, Tag
from news.pagination import LargeTablePaginator
from news.sanitize import BODY_FIELDS

PUBLISH_PERMISSION = "news.publish_article"
# After a bulk publish, the live editions are named for this many articles at most.
LIVE_MESSAGES = 10

# The newsroom's name instead of Django's "Django administration", in the editor's language.
admin.site.site_header = _("Kazinform newsroom")
admin.site.site_title = _("Kazinform newsroom")
admin.site.index_title = _("Newsroom administration")


class FoldedSearchMixin:
    """The search box and the autocomplete pickers, case-insensitive in every script.

    Each word of the search (or "a quoted phrase") is case-folded like the
    model's `admin_search` column (the slug and every edition's title or name,
    folded on save) and looked for in it: one LIKE per word, which PostgreSQL
    answers from the column's trigram index and SQLite from folded text.
    """

    search_fields = ("admin_search",)

    def get_search_results(self, request, queryset, search_term):
        for bit in smart_split(search_term):
            if bit[:1] in "\"'" and len(bit) > 1 and bit[-1] == bit[0]:
                bit = unescape_string_literal(bit)
            if word := fold(bit.strip()):
                queryset = queryset.filter(admin_search__contains=word)
        return queryset, False


class SlugScriptMixin:
    """The script that fills the slug from the title or name as the editor types."""

    class Media:
        js = ("news/slug.js",)


@admin.register(Category)
class CategoryAdmin(FoldedSearchMixin, SlugScriptMixin, MergeAdminMixin, EditionTranslationAdmin):
    form = CategoryAdminForm
    list_display = ("name", "slug", "parent", "position")
    list_select_related = ("parent",)


class PublicSubjectAdmin(
    FoldedSearchMixin, SlugScriptMixin, MergeAdminMixin, EditionTranslationAdmin
):
    """Tags and authors: an editor may prepare them, but once published articles
    show one, changing it is publishing, so it needs the publish right."""

    form = PublicSubjectAdminForm
    list_display = ("name", "slug")
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
    """Status as editors think of it (Article.State), and what was published today."""

    title = _("status")
    parameter_name = "state"
    TODAY = "today"

    def lookups(self, request, model_admin):
        return [*Article.State.choices, (self.TODAY, _("Published today"))]

    def queryset(self, request, queryset):
        if self.value() == self.TODAY:
            return queryset.published_today()
        if self.value() in Article.State.values:
            return queryset.in_state(self.value())
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    """The articles the signed-in editor started ("My drafts" on the desk)."""

    title = _("created by")
    parameter_name = "owner"
    ME = "me"

    def lookups(self, request, model_admin):
        return [(self.ME, _("Me"))]

    def queryset(self, request, queryset):
        if self.value() == self.ME:
            return queryset.filter(created_by=request.user)
        return queryset


class EditionFilter(admin.SimpleListFilter):
    title = _("edition")
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        # Named in the admin's language: a filter is read, not a language switcher.
        return [(edition.code, edition_name(edition.code)) for edition in editions.EDITIONS]

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
class ArticleAdmin(
    FoldedSearchMixin,
    CoeditingAdminMixin,
    MergeAdminMixin,
    EditionHistoryMixin,
    VersionAdmin,
    EditionTranslationAdmin,
):
    form = ArticleAdminForm
    change_form_template = "admin/news/article/change_form.html"
    # Dense: category and authors under the title rather than columns of their own, so
    # that the list fits 1280 px in every language with the filters beside it.
    list_display = (
        "thumbnail",
        "title_and_filing",
        "edition_marks",
        "state",
        "published_at",
        "updated_at",
        "updated_by_name",
    )
    list_display_links = ("thumbnail", "title_and_filing")
    list_filter = (StateFilter, "category", EditionFilter, OwnerFilter, "authors", "featured")
    list_select_related = ("category", "updated_by")
    date_hierarchy = "published_at"
    autocomplete_fields = ("tags", "authors", "related")
    readonly_fields = ("preview_links",)
    object_history_template = "reversion/news/article/object_history.html"
    actions = ("publish_selected", "unpublish_selected")
    # No COUNT(*) over the whole table for "(N total)", and the list's own count is
    # exact only up to LargeTablePaginator.EXACT_UP_TO rows.
    show_full_result_count = False
    paginator = LargeTablePaginator
    # Filter counts ("Show counts") would be a COUNT per choice over every article.
    show_facets = admin.ShowFacets.NEVER

    class Media:
        css = {"all": ("news/admin.css", "news/body-image.css")}
        js = ("news/slug.js",)

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
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        workflow.record_status_change(obj, request.user, form.stored_status)
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
        self._report_publishing(request, obj)
        if kazakh_scripts.BUTTON in request.POST:
            return self._back_to_the_form(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._report_publishing(request, obj)
        if kazakh_scripts.BUTTON in request.POST:
            return self._back_to_the_form(request, obj)
        return super().response_change(request, obj)

    def _report_publishing(self, request, article):
        """After a save that leaves the article published: where readers find it."""
        if article.status == Article.Status.PUBLISHED:
            self.message_user(request, workflow.publish_message(article), messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("desk/", view(self.desk_edition_view), name="news_article_desk"),
            # Pictures for the body editor (news.body_images).
            path(
                "body-images/",
                view(body_images.BodyImageChoicesView.as_view(model_admin=self)),
                name="news_article_body_images",
            ),
            path(
                "body-images/upload/",
                view(body_images.BodyImageUploadView.as_view(model_admin=self)),
                name="news_article_body_image_upload",
            ),
            path(
                "<path:object_id>/workflow/",
                view(self.workflow_view),
                name="news_article_workflow",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="news_article_compare",
            ),
            path(
                "<path:object_id>/history/compare/restore/",
                view(self.restore_field_view),
                name="news_article_restore_field",
            ),
            *super().get_urls(),
        ]

    # --- The desk and the workflow ------------------------------------------------

    def desk_edition_view(self, request):
        """Remember the edition the desk on the admin home page shows."""
        code = request.GET.get("edition", "")
        if code in editions.CODES:
            desk.remember_edition(request, code)
        else:
            self.message_user(request, _("Choose one of the editions."), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))

    def changelist_view(self, request, extra_context=None):
        # The list needs the width: Django's navigation sidebar stays on the other pages
        # (the breadcrumbs and the home page lead everywhere from here).
        extra_context = {**(extra_context or {}), "is_nav_sidebar_enabled": False}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            extra_context = {**(extra_context or {}), "workflow": self._workflow(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow(self, request, article):
        """What the workflow panel of the change form shows this user."""
        may_review = can_publish(request) and article.status == Article.Status.REVIEW
        proposed = article.proposed_publish_at
        return {
            "url": reverse("admin:news_article_workflow", args=[article.pk]),
            "state": article.state,
            "may_submit": article.status in (Article.Status.DRAFT, Article.Status.UNPUBLISHED)
            and self.has_change_permission(request, article),
            "submit_form": SubmitForReviewForm(),
            "may_review": may_review,
            "review_form": ReviewDecisionForm(),
            "proposed": proposed,
            "proposed_ahead": proposed is not None and proposed > timezone.now(),
            "events": article.events.select_related("user")[:50],
        }

    def workflow_view(self, request, object_id):
        """One workflow step from the change form's panel: submit, approve or send back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        step = request.POST.get("step")
        form_class = SubmitForReviewForm if step == "submit" else ReviewDecisionForm
        allowed = (
            self.has_change_permission(request, article)
            if step == "submit"
            else can_publish(request)
        )
        if step not in ("submit", "approve_now", "approve_at_time", "return"):
            self.message_user(request, _("Choose a workflow step."), messages.ERROR)
        elif not allowed:
            raise PermissionDenied
        elif not (form := form_class(request.POST)).is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
        else:
            self._take_step(request, article, step, form.cleaned_data)
        return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]))

    def _take_step(self, request, article, step, data):
        user, note = request.user, data["note"]
        try:
            if step == "submit":
                workflow.submit_for_review(article, user, data["publish_at"], note)
                self.message_user(
                    request, _("Submitted for review: the chief editor will see it on the desk.")
                )
            elif step == "return":
                workflow.send_back(article, user, note)
                self.message_user(request, _("Sent back to the author with your note."))
            else:
                article = workflow.approve(article, user, step == "approve_at_time", note)
                self.message_user(request, workflow.publish_message(article), messages.SUCCESS)
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)

    # --- Revisions: compare two, restore one field ------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            versions = Version.objects.get_for_object(article).select_related(
                "revision", "revision__user"
            )
            extra_context = {
                **(extra_context or {}),
                "compare_url": reverse("admin:news_article_compare", args=[article.pk]),
                "versions": versions,
            }
        return super().history_view(request, object_id, extra_context)

    def _two_versions(self, request, article):
        """The versions named by ?old=&new= (any order), the older first; 404 for others."""
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            chosen = [versions.get(pk=int(request.GET.get(key, ""))) for key in ("old", "new")]
        except (ValueError, Version.DoesNotExist):
            raise Http404 from None
        return sorted(chosen, key=lambda version: (version.revision.date_created, version.pk))

    def compare_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        old, new = self._two_versions(request, article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Compare revisions of “%(article)s”") % {"article": self.headline(article)},
            "old": old,
            "new": new,
            "groups": revisions.compare(old, new, article),
            "may_restore": self.has_change_permission(request, article),
            "restore_url": reverse("admin:news_article_restore_field", args=[article.pk]),
            "history_url": reverse("admin:news_article_history", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/news/article/compare.html", context)

    def restore_field_view(self, request, object_id):
        """Bring back one field from an old revision, keeping every other field as it is."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            version = Version.objects.get_for_object(article).get(
                pk=int(request.POST.get("version", ""))
            )
        except (ValueError, Version.DoesNotExist):
            raise Http404 from None
        name = request.POST.get("field", "")
        when = formats.date_format(
            timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
        )
        try:
            with transaction.atomic(), reversion.create_revision():
                label = revisions.restore_field(article, version, name)
                article.updated_by = request.user
                article.save()
                reversion.set_user(request.user)
                # Stored as data: the history page words it in its reader's language.
                reversion.set_comment(restored_message(name, version.revision.date_created))
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("“%(field)s” is back as it was on %(time)s.") % {"field": label, "time": when},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]))

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
            old_status = article.status
            with reversion.create_revision():
                article.status = status
                article.updated_by = request.user
                article.save()
                reversion.set_user(request.user)
                reversion.set_comment(workflow.stored(comment))
                workflow.record_status_change(article, request.user, old_status)
            count += 1
        return count

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published = []
        for article in queryset:
            try:
                published.append(workflow.publish(article, request.user, _("Published")))
            except workflow.WorkflowError as reason:
                self.message_user(
                    request,
                    _("“%(article)s” was not published: %(reason)s")
                    % {"article": self.headline(article), "reason": reason},
                    messages.ERROR,
                )
        if published:
            count = len(published)
            message = ngettext(
                "%(count)d article published.", "%(count)d articles published.", count
            )
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        for article in published[:LIVE_MESSAGES]:
            self.message_user(request, workflow.publish_message(article), messages.SUCCESS)

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

    @admin.display(description=_("picture"))
    def thumbnail(self, article):
        """The narrowest rendition of the lead image (made on save), or an empty frame."""
        sources = renditions(article.image, article.image_width)
        if not sources:
            return mark_safe('<span class="article-thumb article-thumb-none"></span>')
        return format_html(
            '<img class="article-thumb" src="{}" alt="" width="64" height="40" loading="lazy">',
            sources[0].jpeg,
        )

    @admin.display(description=_("title"), ordering="title")
    def title_and_filing(self, article):
        filing = [str(article.category), self.author_names(article)]
        return format_html(
            '{}<span class="article-filing">{}</span>',
            self.headline(article),
            " · ".join(part for part in filing if part),
        )

    @admin.display(description=_("updated by"), ordering="updated_by__username")
    def updated_by_name(self, article):
        user = article.updated_by
        if user is None:
            return "—"
        return user.get_full_name() or user.get_username()

    @admin.display(description=_("title"), ordering="title")
    def headline(self, article):
        """The title in the admin's language, else in the first edition that has one."""
        if article.title:
            return article.title
        for code in editions.CODES:
            if title := getattr(article, build_localized_fieldname("title", code)):
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
        return article.state.label

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
class SiteSettingsAdmin(MergeAdminMixin, SingletonModelAdmin):
    form = MergeModelForm
