"""What each worker would otherwise do on its first requests, done once where the
application is loaded. With gunicorn's `preload_app` (portal/gunicorn.conf.py) that is
the master, before it forks the workers: a worker recycled after `max_requests` then
serves at full speed at once, instead of importing the project, compiling templates
and queries and reading translation catalogs again while requests queue behind it.

An app whose config has a `warm_up()` method is asked first: there it makes what the
rest of this compiles (the prepared queries of the shapes its pages run)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from core import editions
from core.prepared import compile_everywhere
from core.release import release


def warm_up():
    """Nothing here opens a database or cache connection, which forked workers would share."""
    resolver = get_resolver()
    for code in editions.CODES:
        translation.trans_real.translation(code)
        # The reverse table is built per language (the first reverse() in each edition
        # took 100 ms); the first build imports every view.
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018
    for name in own_templates():
        get_template(name)
    release()  # reads every template and module: 30 ms a worker's first article paid
    caches.all()  # the cache backends and their libraries, which connect on first use
    for config in apps.get_app_configs():
        if hasattr(config, "warm_up"):
            config.warm_up()
    compile_everywhere()


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
