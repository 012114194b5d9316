from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Holds the project-wide management commands (seed_demo, devserver)."""

    name = "config"
