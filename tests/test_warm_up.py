"""The warm-up run where the application is loaded (core.warmup, portal/wsgi.py): with
gunicorn's preload_app, in the master, before it forks workers that must not share its
connections."""

from django.template import engines

from core.warmup import own_templates, warm_up


def test_warming_up_compiles_the_projects_templates_without_touching_the_database():
    # Not marked django_db: pytest-django refuses any database access here.
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    warm_up()

    for name in ("base.html", "news/article.html", "includes/header.html", "404.html"):
        assert name in own_templates()
        assert name in loader.get_template_cache, name
