from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"

    def ready(self) -> None:
        # Imported once the app registry is ready: registers the OpenAPI extensions (event payloads per kind,
        # the integration token's security scheme) with drf-spectacular.
        from . import openapi  # noqa: F401
