"""API token authentication (knox) that also refuses the token of a user without a role in the program."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from . import access


class TokenAuthentication(KnoxTokenAuthentication):
    """knox refuses inactive users; this also refuses users whose role is gone (no profile, no staff flag), so
    a token never outlives the access it was issued for, whatever removed it."""

    def validate_user(self, auth_token: Any) -> Any:
        user, token = super().validate_user(auth_token)
        if access.role_of(user) is None:
            raise exceptions.AuthenticationFailed("User has no role in the program.")
        return user, token


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of the class above: knox's (`Authorization: Token <key>`)."""

    target_class = "partners.auth.TokenAuthentication"
