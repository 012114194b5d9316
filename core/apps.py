from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The leaf every app may use and that uses none of them: clock, dates, events, notices, recompute queue."""

    name = "core"
