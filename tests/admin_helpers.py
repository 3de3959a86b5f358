"""Users in the newsroom's roles and form data for the article admin, for admin tests."""

import importlib

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from news.models import Article

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"


def make_staff(group_name, username=None):
    """A staff user in the group `group_name` (made by migration news 0003)."""
    user = User.objects.create_user(
        username or group_name.lower().replace(" ", "-"), password="unused-in-tests"
    )
    user.is_staff = True
    user.save()
    user.groups.add(newsroom_group(group_name))
    return user


# The migrations that give the newsroom's groups their permissions, app by app.
REGRANTS = {
    "news": ("news.migrations.0003_newsroom_groups", "create_groups"),
    "live": ("live.migrations.0002_newsroom_permissions", "grant"),
    "multimedia": ("multimedia.migrations.0002_newsroom_permissions", "grant"),
    "frontpage": ("frontpage.migrations.0002_editions_and_chief_editor", "forward"),
}


def newsroom_group(name):
    """The group migration news 0003 made, with the permissions the other apps'
    migrations gave it; made again after a live-server test, whose flush of the
    database removed what migrations had written."""
    if not Group.objects.filter(name=name).exists():
        # Each migration's function resets its app's models_module: kept and put back.
        configs = [django_apps.get_app_config(label) for label in REGRANTS]
        kept = [config.models_module for config in configs]
        try:
            for module, function in REGRANTS.values():
                getattr(importlib.import_module(module), function)(django_apps, None)
        finally:
            for config, models_module in zip(configs, kept, strict=True):
                config.models_module = models_module
    return Group.objects.get(name=name)


def add_url():
    return reverse("admin:news_article_add")


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def article_form_data(category, status=Article.Status.DRAFT, when=None, **fields):
    """What the article form posts: an English title and body, the rest as given."""
    when = timezone.localtime(when or timezone.now())
    data = {
        "slug": "from-the-admin",
        "title_en": "Written in the admin",
        "body_en": "<p>Body written in the admin</p>",
        "category": category.pk,
        "status": status,
        "published_at_0": when.strftime("%Y-%m-%d"),
        "published_at_1": when.strftime("%H:%M:%S"),
    }
    data.update(fields)
    return data


def form_data_of(article, **changes):
    """The change form's data for an existing article, with `changes` applied."""
    from modeltranslation.utils import build_localized_fieldname

    from core import editions

    data = article_form_data(
        article.category,
        status=article.status,
        when=article.published_at,
        slug=article.slug,
    )
    for name in (
        "title",
        "lead",
        "body",
        "dateline_city",
        "image_caption",
        "image_credit",
        "image_alt",
    ):
        for code in editions.CODES:
            data[build_localized_fieldname(name, code)] = (
                getattr(article, build_localized_fieldname(name, code)) or ""
            )
    data["tags"] = [tag.pk for tag in article.tags.all()]
    data["authors"] = [author.pk for author in article.authors.all()]
    data.update(changes)
    return data
