"""Load the demo program and demo partners. Idempotent: run it as often as you like."""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from partners.demo import DEMO_PASSWORD


def demo_modules():
    """Every app's demo.py, in INSTALLED_APPS order (the order the demo data builds on)."""
    return [
        import_module(f"{config.name}.demo") for config in apps.get_app_configs() if find_spec(f"{config.name}.demo")
    ]


def where_emails_go() -> str:
    """One line saying where the portal's emails end up with the settings in force."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "filebased":
        where = Path(settings.EMAIL_FILE_PATH)
        if where.is_relative_to(settings.BASE_DIR):
            where = where.relative_to(settings.BASE_DIR)
        return f"Emails are not sent: they are written to files in {where}/."
    if backend == "console":
        return "Emails are printed to the console, not sent."
    if backend in ("locmem", "dummy"):
        return "Emails are kept in memory, not sent."
    return f"Emails are sent through {settings.EMAIL_BACKEND}."


def logins_block() -> str:
    """The demo logins of every app's demo (its LOGINS), the password and where emails go, as one block."""
    logins = [login for module in demo_modules() for login in getattr(module, "LOGINS", ())]
    width = max(len(username) for username, _ in logins) + 2
    lines = [
        f"Demo logins (password for all: {DEMO_PASSWORD}):",
        *(f"  {username.ljust(width)}{description}" for username, description in logins),
        where_emails_go(),
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load demo data from every app's demo.py (in INSTALLED_APPS order) and print the demo logins."

    def handle(self, *args, **options):
        for module in demo_modules():
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write("")
        self.stdout.write(logins_block())
