"""Load the demo program and demo partners. Idempotent: run it as often as you like."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load demo data from every app's demo.py (in INSTALLED_APPS order) and print the demo logins."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.demo") is None:
                continue
            import_module(f"{config.name}.demo").load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
