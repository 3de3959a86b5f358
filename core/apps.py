from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app may use (editions, caching, security, transliteration).

    Depends on Django alone: `portal` (the project) and the apps import it, never the reverse.
    """

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import security_txt, signals  # noqa: F401 (security_txt registers a check)
        from core.translated_querysets import build_each_class_once

        signals.connect()
        build_each_class_once()
