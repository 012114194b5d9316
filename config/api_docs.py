"""The OpenAPI schema and its docs pages, public or behind a login as settings.API_DOCS_PUBLIC says."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import BasePermission


class DocsPermission(BasePermission):
    """Anyone when API_DOCS_PUBLIC, else a signed-in user (session or token), as for the API itself."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(settings.API_DOCS_PUBLIC or (request.user and request.user.is_authenticated))


class SchemaView(SpectacularAPIView):
    permission_classes = [DocsPermission]


class _LoginForPages:
    """A docs page sends a signed-out browser to the login page (and back) instead of answering 401/403."""

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())  # type: ignore[attr-defined]
        return super().handle_exception(exc)  # type: ignore[misc]


class SwaggerView(_LoginForPages, SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served from a URL (no inline script: CSP)."""

    permission_classes = [DocsPermission]


class RedocView(_LoginForPages, SpectacularRedocView):
    """Redoc from the sidecar's bundle, without drf-spectacular's Google Fonts links (nothing from elsewhere)."""

    permission_classes = [DocsPermission]
    template_name = "api/redoc.html"
