from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self) -> None:
        # Imported when the app registry is ready (models loaded), the point of ready(): connects the receivers
        # that keep the portfolio's sort keys true when a partner or territory is renamed.
        from . import signals  # noqa: F401
