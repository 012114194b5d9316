"""Webhook endpoints managed by people (staff, or a partner admin for her partner): create, edit, enable or
disable, rotate the secret, send a delivery again, send a test event. Every function takes `actor`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock
from core.event_kinds import KINDS
from core.events import event_record
from partners import access
from partners.models import Partner

from . import delivery as deliveries
from . import payloads, rules, signing
from .models import Delivery, Endpoint
from .transport import UnsafeURL, resolve

FIELDS = ("url", "description", "kinds", "enabled")


def _clean(fields: dict[str, Any]) -> None:
    if "url" in fields:
        try:
            resolve(fields["url"])
        except UnsafeURL as exc:
            raise ValidationError({"url": [str(exc)]}) from exc
    if "kinds" in fields:
        kinds = list(dict.fromkeys(fields["kinds"] or []))
        unknown = rules.unknown_kinds(kinds, KINDS)
        if unknown:
            raise ValidationError({"kinds": [f"Unknown event kind: {', '.join(unknown)}."]})
        fields["kinds"] = kinds


def _saved(endpoint: Endpoint, actor: access.Actor, verb: str) -> int:
    return event_record(
        kind="webhook.endpoint_saved",
        summary=f"Webhook endpoint {endpoint.url} {verb}",
        partner_id=endpoint.partner_id,
        payload={"endpoint": endpoint.pk, "enabled": endpoint.enabled, "kinds": endpoint.kinds},
        actor=access.person(actor),
    )[0].pk


@transaction.atomic
def endpoint_create(
    *,
    url: str,
    actor: access.Actor,
    partner: Partner | None = None,
    description: str = "",
    kinds: list[str] | None = None,
    enabled: bool = True,
) -> tuple[Endpoint, str]:
    """A new endpoint and its secret (returned once: only its encrypted form is kept). It receives the events
    recorded from now on: `partner`'s, or the whole program's when None (staff only)."""
    access.require(actor, "webhook.manage", partner=partner)
    fields: dict[str, Any] = {"url": url, "description": description, "kinds": kinds or [], "enabled": enabled}
    _clean(fields)
    secret = signing.new_secret()
    endpoint = Endpoint.objects.create(
        partner=partner,
        owner=access.person(actor),
        secret_encrypted=signing.encrypt(secret),
        **fields,
    )
    endpoint.after_event_id = _saved(endpoint, actor, "added")  # from the events after its own on
    endpoint.save(update_fields=["after_event_id"])
    return endpoint, secret


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, actor: access.Actor, **changes: Any) -> Endpoint:
    """Change the URL, description, kinds or enabled; enabling again forgets the failures."""
    access.require(actor, "webhook.manage", partner=endpoint.partner)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    _clean(changes)
    if changes.get("enabled") and not endpoint.enabled:
        endpoint.failing_since, endpoint.disabled_reason = None, ""
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.save()
    _saved(endpoint, actor, "enabled" if changes.get("enabled") else "changed")
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, actor: access.Actor) -> str:
    """A new secret (returned once); the one it replaces keeps verifying for rules.PREVIOUS_SECRET_LIFETIME."""
    access.require(actor, "webhook.manage", partner=endpoint.partner)
    secret = signing.new_secret()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = clock.now() + rules.PREVIOUS_SECRET_LIFETIME
    endpoint.secret_encrypted = signing.encrypt(secret)
    endpoint.save()
    event_record(
        kind="webhook.secret_rotated",
        summary=f"Webhook endpoint {endpoint.url}: secret rotated",
        partner_id=endpoint.partner_id,
        payload={"endpoint": endpoint.pk},
        actor=access.person(actor),
    )
    return secret


def _require_enabled(endpoint: Endpoint) -> None:
    if not endpoint.enabled:
        raise ValidationError("This endpoint is disabled: enable it first.")


@transaction.atomic
def endpoint_send_test(*, endpoint: Endpoint, actor: access.Actor) -> Delivery:
    """Queue a test message (type `webhook.test`) to the endpoint now."""
    access.require(actor, "webhook.manage", partner=endpoint.partner)
    _require_enabled(endpoint)
    now = clock.now()
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        kind=payloads.TEST_KIND,
        body=payloads.ping_body(endpoint.pk, now),
        next_attempt_at=now,
        queued_at=now,
        created_at=now,
    )
    transaction.on_commit(lambda: deliveries.enqueue([delivery.pk]))
    return delivery


@transaction.atomic
def delivery_resend(*, delivery: Delivery, actor: access.Actor) -> Delivery:
    """Send a delivery again now, with the same webhook-id (a failed one gets one more attempt)."""
    endpoint = delivery.endpoint
    access.require(actor, "webhook.manage", partner=endpoint.partner)
    _require_enabled(endpoint)
    now = clock.now()
    changed = Delivery.objects.filter(pk=delivery.pk).exclude(status=Delivery.SENDING)
    if not changed.update(status=Delivery.PENDING, next_attempt_at=now, queued_at=now):
        raise ValidationError("This delivery is being sent right now.")
    delivery.refresh_from_db()
    transaction.on_commit(lambda: deliveries.enqueue([delivery.pk]))
    return delivery
