"""Admin forms: merging concurrent saves, body cleaning, who may publish articles, tags
and authors, and the review workflow's forms."""

import json

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from core import editions, slugs
from core.merge import MergeModelForm
from news import kazakh_scripts
from news.images import FocalPointWidget
from news.models import Article
from news.sanitize import BODY_FIELDS, clean_html
from news.workflow import edition_names

ALT_FIELDS = tuple(get_translation_fields("image_alt"))

# What the body editor offers; news.sanitize allows the same markup and nothing more.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HTML": True,
}


def body_image_options():
    """The body-image extension's options (news/static/news/body-image.js): where to
    upload and choose pictures, and its texts in the admin's language."""
    return {
        "uploadUrl": reverse_lazy("admin:news_article_body_image_upload"),
        "choicesUrl": reverse_lazy("admin:news_article_body_images"),
        "labels": {
            "insert": _("Insert image"),
            "save": _("Save image"),
            "title": _("Image in the text"),
            "upload": _("Upload a new image (JPEG, PNG or WebP)"),
            "choose": _("Choose an uploaded image"),
            "alt": _("Alt text: what the picture shows, for readers who cannot see it"),
            "caption": _("Caption"),
            "credit": _("Credit"),
            "cancel": _("Cancel"),
            "altRequired": _("Describe the picture for readers who cannot see it."),
            "required": _("Upload or choose an image."),
            "failed": _("The image could not be uploaded. Try again."),
        },
    }


def body_widget():
    extensions = {**EDITOR_EXTENSIONS, "BodyImage": body_image_options()}
    return AdminProseEditorWidget(config={"extensions": extensions}, preset="configurable")


class SlugFromTextMixin:
    """A slug made from the title (or name) as the editor types, editable, and unique.

    The browser (news/static/news/slug.js) fills an empty slug while the editor types
    in the source fields, with the rules of core.slugs, which it reads from the
    input's data attributes, until the editor types in the slug itself. A slug left
    empty is made here by the same rules (with -2, -3… if taken); a slug typed or
    filled in that another row already has is refused with the row's name.
    """

    slug_source = "title"
    slug_help = _(
        "Filled in from the title as you type; you may change it. Latin letters, "
        "digits and hyphens: it is part of the address."
    )
    nothing_to_slug = _(
        "Type the address here, or write a title in Kazakh, Russian, Uzbek or English to "
        "make it from."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is None:
            return
        field.required = False
        field.help_text = self.slug_help
        sources = [
            [self[name].auto_id, code]
            for code in slugs.SOURCE_ORDER
            if (name := build_localized_fieldname(self.slug_source, code)) in self.fields
        ]
        field.widget.attrs.update(
            {
                "data-slug-from": json.dumps(sources),
                "data-slug-rules": json.dumps(slugs.RULES, ensure_ascii=False),
                "data-slug-max-length": field.max_length or "",
            }
        )

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and "slug" not in self.errors:
            self._clean_slug(cleaned)
        return cleaned

    def _clean_slug(self, cleaned):
        limit = self.fields["slug"].max_length
        slug = cleaned.get("slug")
        if not slug:
            texts = {
                code: cleaned.get(build_localized_fieldname(self.slug_source, code))
                for code in editions.CODES
            }
            slug = slugs.slug_from(texts, limit)
            if not slug:
                self.add_error("slug", self.nothing_to_slug)
                return
            if self._slug_owner(slug) is not None:
                slug = slugs.free_variant(
                    slug, lambda candidate: self._slug_owner(candidate) is not None, limit
                )
            cleaned["slug"] = slug
            return
        owner = self._slug_owner(slug)
        if owner is not None:
            free = slugs.free_variant(
                slug, lambda candidate: self._slug_owner(candidate) is not None, limit
            )
            self.add_error(
                "slug",
                forms.ValidationError(
                    _(
                        "The address “%(slug)s” is already taken by “%(owner)s”. "
                        "Choose another, for example “%(free)s”."
                    ),
                    code="unique",
                    params={"slug": slug, "owner": owner, "free": free},
                ),
            )

    def _slug_owner(self, slug):
        rows = self._meta.model._default_manager.filter(slug=slug)
        if self.instance.pk is not None:
            rows = rows.exclude(pk=self.instance.pk)
        return rows.first()


class ArticleAdminForm(SlugFromTextMixin, MergeModelForm):
    """The article form; only users who may publish can choose or leave "published"."""

    # Set by ArticleAdmin.get_form for each request.
    can_publish = False
    # The kk-latn / kk-arab fields filled by the transliteration button, if it was pressed.
    kazakh_filled = None

    # No Meta: ArticleAdmin.get_form gives the model and the fields per request.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whatever the form says, the instance still holds the stored status here.
        self.stored_status = self.instance.status if self.instance.pk else None
        status = self.fields.get("status")
        if status is not None:
            # Offer only what this user may choose; clean() enforces it as well. Review
            # is entered through "Submit for review", which asks for a time and a note.
            hidden = {Article.Status.REVIEW} | (
                set() if self.can_publish else {Article.Status.PUBLISHED}
            )
            status.choices = [
                (value, label)
                for value, label in status.choices
                if value not in hidden or self.stored_status == value
            ]
        focus_x = self.fields.get("image_focus_x")
        if focus_x is not None and "image_focus_y" in self.fields and self.instance.image:
            # The stored image is what the editor clicks on to choose the focal point.
            focus_x.widget = FocalPointWidget(
                image_url=self.instance.image.url, down_id=self["image_focus_y"].auto_id
            )

    def clean(self):
        cleaned = super().clean()
        for name in BODY_FIELDS:
            if cleaned.get(name):
                cleaned[name] = clean_html(cleaned[name])
        if kazakh_scripts.BUTTON in self.data:
            self._fill_kazakh_scripts(cleaned)
        status = cleaned.get("status")
        if status == Article.Status.PUBLISHED and not self._written_in_an_edition(cleaned):
            self.add_error(
                "status",
                _("Write a title and a body in at least one edition before publishing."),
            )
        elif status == Article.Status.PUBLISHED and self._alt_matters():
            self._require_alt(cleaned)
        if not self.can_publish and status is not None:
            if status == Article.Status.PUBLISHED and self.stored_status != status:
                self.add_error("status", _("Only a chief editor can publish an article."))
            elif self.stored_status == Article.Status.PUBLISHED and status != self.stored_status:
                self.add_error("status", _("Only a chief editor can unpublish an article."))
        return cleaned

    def _require_alt(self, cleaned):
        if missing := self._editions_missing_alt(cleaned):
            field = build_localized_fieldname("image_alt", missing[0])
            self.add_error(
                field if field in self.fields else "status",
                _(
                    "Describe the lead image in its alt text in every edition before "
                    "publishing; it is missing in: %(editions)s."
                )
                % {"editions": edition_names(missing)},
            )

    def _alt_matters(self):
        """Publishing now, or changing the image or its alt text on a published article: an
        article published before alt texts existed can still have a typo fixed."""
        return self.stored_status != Article.Status.PUBLISHED or bool(
            {"image", *ALT_FIELDS} & set(self.changed_data)
        )

    def _editions_missing_alt(self, cleaned):
        columns = {*Article.presence_columns(), *ALT_FIELDS}
        as_typed = Article(**{name: cleaned.get(name) for name in columns})
        # An unchanged upload cleans to the stored file, a cleared one to False. Only
        # the name goes on the copy: assigning the file would move it to the copy.
        image = cleaned.get("image", self.instance.image)
        as_typed.image = (getattr(image, "name", None) or "image") if image else None
        return as_typed.editions_missing_alt()

    def _written_in_an_edition(self, cleaned):
        as_typed = Article(**{name: cleaned.get(name) for name in Article.presence_columns()})
        return bool(as_typed.editions())

    def _fill_kazakh_scripts(self, cleaned):
        """The one-action Latin and Arabic-script editions, from the cleaned Cyrillic text."""
        if not kazakh_scripts.has_source(cleaned):
            self.add_error(
                None,
                _(
                    "Write the Kazakh (Cyrillic) text first: there is nothing to fill "
                    "the Latin and Arabic-script editions from."
                ),
            )
            return
        self.kazakh_filled = kazakh_scripts.fill_from_cyrillic(cleaned)
        for name in self.kazakh_filled:
            limit = getattr(self.fields.get(name), "max_length", None)
            if limit and len(cleaned[name]) > limit:
                self.add_error(
                    name,
                    _(
                        "The transliteration is longer than %(limit)d characters: "
                        "write this field by hand."
                    )
                    % {"limit": limit},
                )


class SubmitForReviewForm(forms.Form):
    """An editor hands a draft to the chief editor: when to publish, and a word about it."""

    publish_at = forms.DateTimeField(
        label=_("Proposed publish time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish as soon as the chief editor approves."),
    )
    note = forms.CharField(
        label=_("Note for the chief editor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewDecisionForm(forms.Form):
    """The chief editor's note with an approval, or the reason for sending an article back."""

    note = forms.CharField(
        label=_("Note for the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SlugFromNameMixin(SlugFromTextMixin):
    slug_source = "name"
    slug_help = _(
        "Filled in from the name as you type; you may change it. Latin letters, "
        "digits and hyphens: it is part of the address."
    )
    nothing_to_slug = _(
        "Type the address here, or write a name in Kazakh, Russian, Uzbek or English to "
        "make it from."
    )


class CategoryAdminForm(SlugFromNameMixin, MergeModelForm):
    pass


class PublicSubjectAdminForm(SlugFromNameMixin, MergeModelForm):
    """The tag and author form: what published articles show is the chief editor's to change."""

    # Set by PublicSubjectAdmin.get_form for each request.
    can_publish = False
    published_message = None

    def clean(self):
        cleaned = super().clean()
        if not self.can_publish and self.changes_published_articles():
            self.add_error(None, self.published_message)
        return cleaned

    def changes_published_articles(self):
        """Whether saving this form would change what a published article shows."""
        instance = self.instance
        return bool(
            instance.pk
            and self.has_changed()
            and type(instance).objects.on_published_articles().filter(pk=instance.pk).exists()
        )
