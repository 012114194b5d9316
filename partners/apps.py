from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        # Imported when the app registry is ready (models loaded), the point of ready(): connects the receivers
        # that revoke tokens and sessions when a password, active flag or role changes.
        from . import signals  # noqa: F401
