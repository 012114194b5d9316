"""API rate limits (429 with Retry-After), counted in the cache (Redis in production): a person per user, an
integration per token, and the token endpoints per client address as well."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from partners.access import IntegrationActor


class PersonRateThrottle(UserRateThrottle):
    """Rate "user": a signed-in person, whichever of her tokens or session she uses (integrations: below)."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.user, IntegrationActor):
            return None
        return super().get_cache_key(request, view)


class IntegrationRateThrottle(SimpleRateThrottle):
    """Rate "integration": per integration token."""

    scope = "integration"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not isinstance(request.user, IntegrationActor):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.integration_id}


class AddressRateThrottle(SimpleRateThrottle):
    """Rate "token": per client address, on the endpoints that issue or revoke tokens (on top of the per-user
    rate), so one address cannot mint or spend tokens without bound."""

    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
