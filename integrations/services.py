"""Writes: create and revoke integrations, note when a token was last used."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import clock
from partners import access
from partners.auth import INTEGRATION_TOKEN_PREFIX
from partners.models import Partner

from .models import Integration
from .selectors import token_hash

LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per integration


@transaction.atomic
def integration_create(
    *,
    actor: access.Actor,
    name: str,
    scope: str = Integration.READ_ONLY,
    description: str = "",
    partners: list[Partner] | None = None,
    all_partners: bool = False,
    expires_at: datetime | None = None,
) -> tuple[Integration, str]:
    """A new integration and its token (returned once; only its hash is kept).

    A partner admin's integration sees her partner only; staff's sees `partners`, or the whole program with
    `all_partners`. Without `expires_at` the token expires after INTEGRATION_TOKEN_TTL_DAYS."""
    owner_partner = None
    if access.role_of(actor) == access.PARTNER_ADMIN:
        owner_partner = access.profile_of(actor).partner
    access.require(actor, "integration.manage", partner=owner_partner)
    owner = access.person(actor)
    if owner is None:  # SYSTEM: a token lives only as long as its owner's right to manage it
        raise PermissionDenied("An integration is owned by a person.")
    partners = list(partners or [])
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "Name the integration (the CRM or system using it)."
    if scope not in dict(Integration.SCOPE_CHOICES):
        errors["scope"] = "Choose read or read_write."
    now = clock.now()
    expires_at = expires_at or now + timedelta(days=settings.INTEGRATION_TOKEN_TTL_DAYS)
    if expires_at <= now:
        errors["expires_at"] = "Give a time in the future."
    if owner_partner is not None:
        if all_partners or any(p.pk != owner_partner.pk for p in partners):
            errors["partners"] = "A partner's integration sees that partner only."
        partners, all_partners = [], False
    elif all_partners and partners:
        errors["partners"] = "Either the whole program or some partners, not both."
    elif not all_partners and not partners:
        errors["partners"] = "Choose the partners it may see, or the whole program."
    if errors:
        raise ValidationError(errors)
    token = INTEGRATION_TOKEN_PREFIX + secrets.token_urlsafe(32)
    integration = Integration.objects.create(
        name=name.strip(),
        description=(description or "").strip(),
        scope=scope,
        owner=owner,
        owner_partner=owner_partner,
        all_partners=all_partners,
        token_prefix=token[:12],
        token_hash=token_hash(token),
        expires_at=expires_at,
    )
    integration.partners.set(partners)
    return integration, token


@transaction.atomic
def integration_revoke(*, integration: Integration, actor: access.Actor) -> Integration:
    """The token stops working at once; revoking twice changes nothing."""
    access.require(actor, "integration.manage", partner=integration.owner_partner)
    if integration.revoked_at is None:
        integration.revoked_at = clock.now()
        integration.save(update_fields=["revoked_at", "updated_at"])
    return integration


def integration_mark_used(*, integration: Integration) -> None:
    """Note the token's use (no actor: its own authentication), at most once a minute."""
    now = clock.now()
    if integration.last_used_at is None or now - integration.last_used_at >= LAST_USED_EVERY:
        Integration.objects.filter(pk=integration.pk).update(last_used_at=now)
        integration.last_used_at = now
