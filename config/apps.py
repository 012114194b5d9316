from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Project wiring: the management commands (seed_demo, devserver, run_daily) and task discovery."""

    name = "config"

    def ready(self):
        # Every app's tasks module is imported in every process (web, worker, tests), so services can
        # call tasks by name (core.notices, core.recompute) without importing the apps that define them.
        from .celery import (
            app,  # config/__init__ imports celery first; here the apps are ready
        )

        app.autodiscover_tasks(force=True)
