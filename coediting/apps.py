from django.apps import AppConfig


class CoeditingConfig(AppConfig):
    """Several desks on one article: who else has it open, what they saved, autosaves.

    Its own app label on purpose: core.signals starts a new content generation
    on every save in `news` and `widgets`, and heartbeats and autosaves change
    nothing readers see.
    """

    name = "coediting"
    verbose_name = "Co-editing"
