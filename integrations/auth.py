"""The integration token (`Authorization: Token pci_...`), next to the person's knox token (partners/auth.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS

from core import clock
from partners import access
from partners.auth import INTEGRATION_TOKEN_PREFIX, token_in_header

from . import selectors, services


class IntegrationTokenAuthentication(BaseAuthentication):
    """Authenticates an integration as an access.IntegrationActor. Refuses (401) a revoked or expired token, and
    one whose owner may no longer manage it (left the program, lost the role): a token never outlives the
    access it was issued under. A read-only token is refused any unsafe method (403)."""

    def authenticate(self, request: Any) -> tuple[access.IntegrationActor, Any] | None:
        key = token_in_header(request)
        if key is None or not key.startswith(INTEGRATION_TOKEN_PREFIX):
            return None
        integration = selectors.integration_for_token(key)
        if integration is None or integration.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Invalid or revoked integration token.")
        if integration.expires_at is not None and integration.expires_at <= clock.now():
            raise exceptions.AuthenticationFailed("The integration token has expired.")
        owner = integration.owner
        if not owner.is_active or not access.can(owner, "integration.manage", partner=integration.owner_partner):
            raise exceptions.AuthenticationFailed("The integration's owner can no longer manage it.")
        services.integration_mark_used(integration=integration)
        actor = selectors.actor_of(integration)
        if actor.read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("This integration's token is read-only.")
        return actor, integration

    def authenticate_header(self, request: Any) -> str:
        return "Token"


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.auth.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An integration's token: `Token pci_...` (see /integrations/)",
        }
