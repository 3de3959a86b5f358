"""What every app's demo loader shares: reading its JSON file and per-edition texts.

The news app's load_demo and the loaders of the apps built on news
(multimedia, live) read their content the same way and fail the same way.
"""

import json

from django.core.management.base import CommandError
from modeltranslation.utils import build_localized_fieldname

from core import editions


def read_content(path):
    """The JSON object in `path`; a CommandError naming the file if it cannot be had."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CommandError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(content, dict):
        raise CommandError(f"{path} does not hold a JSON object")
    return content


def translated(field, values):
    """Keyword arguments setting `field` in every edition: given texts, blank elsewhere."""
    if not isinstance(values, dict):
        raise CommandError(f"{field} must map editions to texts in demo content")
    unknown = set(values) - set(editions.CODES)
    if unknown:
        raise CommandError(f"unknown edition(s) {', '.join(sorted(unknown))} in demo content")
    return {build_localized_fieldname(field, code): values.get(code, "") for code in editions.CODES}


def demo_article(slug):
    """The demo article `slug`, which the other apps' loaders build on."""
    from news.models import Article

    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise CommandError(f"demo article {slug} does not exist: run load_demo first")
    return article
