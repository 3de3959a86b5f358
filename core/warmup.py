"""What each worker would otherwise do on its first requests, done once where the
application is loaded. With gunicorn's `preload_app` (portal/gunicorn.conf.py) that is
the master, before it forks the workers: a worker recycled after `max_requests` then
serves at full speed at once, instead of importing the project, compiling templates
and reading translation catalogs again while requests queue behind it."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from core import editions
from core.release import release


def warm_up():
    """Nothing here opens a database or cache connection, which forked workers would share."""
    get_resolver().reverse_dict  # noqa: B018 (imports every view, builds the reverse table)
    for code in editions.CODES:
        translation.trans_real.translation(code)
    for name in own_templates():
        get_template(name)
    release()  # reads every template and module: 30 ms a worker's first article paid


def own_templates():
    """Names of the project's own templates (its folder and its apps'), not other packages'."""
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
    ]
    return sorted(
        str(path.relative_to(folder))
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix in (".html", ".xml", ".txt")
    )
