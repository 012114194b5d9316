"""Webhook endpoints, their deliveries (one per endpoint and event) and each delivery's attempts.

Deliveries are made from the event log (core.Event) by webhooks.services.fanout; see webhooks/delivery.py for
the claim, the retries and the guarantees.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from partners.access import TenantQuerySet


def new_message_id() -> str:
    """The `webhook-id` of a delivery: the same on every attempt, so a receiver can deduplicate."""
    return f"msg_{uuid.uuid4().hex}"


class Endpoint(models.Model):
    """A URL that receives the events of the whole program (`partner` empty: staff only) or of one partner."""

    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Whose events it receives; empty: every event of the program (staff only)",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who set it up; notified when it is disabled after failing",
    )
    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    kinds = models.JSONField(default=list, blank=True, help_text="Event kinds wanted; empty: every kind")
    enabled = models.BooleanField(default=True)
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    after_event_id = models.BigIntegerField(default=0, help_text="It receives the events recorded after this one")
    failing_since = models.DateTimeField(null=True, blank=True, help_text="First failure since the last success")
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.url

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class DeliveryQuerySet(TenantQuerySet):
    partner_lookup = "endpoint__partner"


class Delivery(models.Model):
    """One message to one endpoint: an event (at most once per endpoint) or a test message (`event` empty)."""

    PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"
    STATUS_CHOICES = [(s, s.title()) for s in (PENDING, SENDING, DELIVERED, FAILED)]

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("core.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    kind = models.CharField(max_length=60)
    body = models.TextField(blank=True, help_text="A test message's body (an event's is built from the event)")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When a task was last queued for it")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"], condition=Q(event__isnull=False), name="one_delivery_per_endpoint_event"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.endpoint_id} ({self.status})"


class Attempt(models.Model):
    """One HTTP request of a delivery: what came back (status, the first 1 KB) or what went wrong."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts_made")
    attempted_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response = models.TextField(blank=True, help_text="The first 1 KB of the answer")
    error = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name = "delivery attempt"

    def __str__(self) -> str:
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"


class FanoutCursor(models.Model):
    """How far the fan-out has read the event log: the highest event id read, and the ids below it not seen yet
    (`holes`: {id: first noticed, ISO}) because their transaction had not committed; they are read again until
    they appear or are older than the hole timeout (rolled back)."""

    name = models.CharField(max_length=30, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    holes = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_event_id}"
