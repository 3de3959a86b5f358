"""Pictures in article bodies: uploading and choosing them in the editor, showing them to readers.

The rich-text editor (news/static/news/body-image.js) stores a picture as

    <figure data-body-image="ID" data-alt="…" data-caption="…" data-credit="…">
      <img src="…original…" alt="…"></figure>

news.sanitize keeps exactly those attributes (the id only when it is a number).
Readers never get that markup: `render_body` replaces each such figure by one
built from the BodyImage's renditions, with the alt text, the caption and the
credit of that edition's body. A figure whose image no longer exists is dropped.
"""

import re
from html import unescape

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views import View

from news.images import renditions
from news.models import BodyImage
from news.templatetags.renditions import picture_context, picture_html

# After nh3, attribute values are quoted with " and contain no raw < > or ".
FIGURE = re.compile(r"<figure(\s[^>]*)?>.*?</figure>", re.DOTALL)
ATTRIBUTE = re.compile(r'(data-body-image|data-alt|data-caption|data-credit)="([^"]*)"')
SIZES = "(max-width: 50rem) 100vw, 44rem"
CHOICES = 60


def figure_references(html):
    """(match, attributes) of every body-image figure in sanitized `html`."""
    found = []
    for match in FIGURE.finditer(html or ""):
        attributes = {name: unescape(value) for name, value in ATTRIBUTE.findall(match[1] or "")}
        if attributes.get("data-body-image", "").isdigit():
            found.append((match, attributes))
    return found


def render_body(html):
    """A sanitized body as readers get it: each picture as a <figure> with renditions.

    One query for all the pictures of the body, none without any.
    """
    references = figure_references(html)
    if not references:
        return mark_safe(html or "")
    ids = {int(attributes["data-body-image"]) for _match, attributes in references}
    images = BodyImage.objects.in_bulk(ids)
    parts, position = [], 0
    for match, attributes in references:
        parts.append(html[position : match.start()])
        position = match.end()
        image = images.get(int(attributes["data-body-image"]))
        if image is not None and image.image:
            parts.append(figure_html(image, attributes))
    parts.append(html[position:])
    # The parts outside the figures are the sanitized body; the figures are escaped.
    return mark_safe("".join(parts))


def figure_html(image, attributes):
    context = picture_context(
        image.image,
        image.width,
        image.height,
        sizes=SIZES,
        alt=attributes.get("data-alt", ""),
        loading="lazy",
    )
    context["picture"] = picture_html(context)
    context["caption"] = attributes.get("data-caption", "")
    context["credit"] = attributes.get("data-credit", "")
    return render_to_string("includes/body_image.html", context).strip()


class BodyImageForm(forms.ModelForm):
    class Meta:
        model = BodyImage
        fields = ("image",)


def described(image):
    """What the editor needs to show and insert a picture."""
    thumbnails = renditions(image.image, image.width)
    return {
        "id": image.pk,
        "src": image.image.url,
        "thumbnail": thumbnails[0].jpeg if thumbnails else image.image.url,
        "width": image.width,
        "height": image.height,
    }


class BodyImageView(View):
    """For whoever may write articles in the admin (given by ArticleAdmin.get_urls)."""

    model_admin = None

    def dispatch(self, request, *args, **kwargs):
        admin = self.model_admin
        if not (admin.has_add_permission(request) or admin.has_change_permission(request)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class BodyImageChoicesView(BodyImageView):
    """The latest pictures, newest first, to put one in another body."""

    def get(self, request):
        images = BodyImage.objects.all()[:CHOICES]
        return JsonResponse({"images": [described(image) for image in images]})


class BodyImageUploadView(BodyImageView):
    """A new picture, cleaned like a lead image (news.images.clean_upload), or why not."""

    http_method_names = ["post"]

    def post(self, request):
        form = BodyImageForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"error": " ".join(form.errors["image"])}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        return JsonResponse(described(image), status=201)
