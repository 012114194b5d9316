"""API token authentication (knox) that also refuses the token of a user without a role in the program.

Integration tokens (integrations/auth.py) start with INTEGRATION_TOKEN_PREFIX and use the same header; knox
leaves them to that class."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

from . import access

INTEGRATION_TOKEN_PREFIX = "pci_"


def token_in_header(request: Any) -> str | None:
    """The key of `Authorization: Token <key>`, or None."""
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"token":
        return None
    try:
        return parts[1].decode()
    except UnicodeDecodeError:
        return None


class TokenAuthentication(KnoxTokenAuthentication):
    """knox refuses inactive users; this also refuses users whose role is gone (no profile, no staff flag), so
    a token never outlives the access it was issued for, whatever removed it."""

    def authenticate(self, request: Any) -> Any:
        key = token_in_header(request)
        if key is not None and key.startswith(INTEGRATION_TOKEN_PREFIX):
            return None  # an integration's token: integrations.auth.IntegrationTokenAuthentication
        return super().authenticate(request)

    def validate_user(self, auth_token: Any) -> Any:
        user, token = super().validate_user(auth_token)
        if access.role_of(user) is None:
            raise exceptions.AuthenticationFailed("User has no role in the program.")
        return user, token


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of the class above: knox's (`Authorization: Token <key>`)."""

    target_class = "partners.auth.TokenAuthentication"
