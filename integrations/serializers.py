"""DRF serializers: events in the feed, integrations and their input."""

from __future__ import annotations

import functools
from typing import Any

from django.urls import NoReverseMatch, reverse
from rest_framework import serializers

from core.api import StrictSerializerMixin
from core.event_payloads import SUBJECT_ROUTES, subject_of
from core.models import Event

from .models import Integration


@functools.cache
def _list_path(route: str) -> str | None:
    try:
        return reverse(f"v1:{route}-list")
    except NoReverseMatch:
        return None


def subject_link(kind: str, pk: int | None, request: Any = None) -> str | None:
    """The subject's detail in this API (a router's detail route: its list path and the id)."""
    route = SUBJECT_ROUTES.get(kind)
    path = _list_path(route) if route is not None and pk is not None else None
    if path is None:
        return None
    return request.build_absolute_uri(f"{path}{pk}/") if request is not None else f"{path}{pk}/"


OCCURRED_AT = serializers.DateTimeField()


class FeedEventSerializer(serializers.Serializer):
    """One event of the feed. The OpenAPI document describes one variant per kind (integrations/openapi.py)."""

    def to_representation(self, instance: Event) -> dict[str, Any]:
        kind, pk = subject_of(instance.kind, instance.partner_id, instance.payload or {})
        return {
            "id": instance.pk,
            "kind": instance.kind,
            "occurred_at": OCCURRED_AT.to_representation(instance.occurred_at),
            "partner": instance.partner_id,
            "summary": instance.summary,
            "subject": {"type": kind, "id": pk, "link": subject_link(kind, pk, self.context.get("request"))},
            "payload": instance.payload or {},
        }


class EventFeedSerializer(serializers.Serializer):
    results = FeedEventSerializer(many=True)
    cursor = serializers.CharField(
        allow_null=True, help_text="Pass as `after` to resume after this page (null: nothing served yet)"
    )
    has_more = serializers.BooleanField(help_text="More events are ready now: ask again at once")


class IntegrationSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    partners = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = Integration
        fields = [
            "id",
            "name",
            "description",
            "scope",
            "owner",
            "owner_partner",
            "all_partners",
            "partners",
            "token_prefix",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "created_at",
            "active",
        ]

    def get_partners(self, obj: Integration) -> list[int]:
        return sorted(p.pk for p in obj.partners.all())

    def get_active(self, obj: Integration) -> bool:
        now = self.context.get("now")
        return obj.revoked_at is None and (obj.expires_at is None or now is None or obj.expires_at > now)


class IntegrationCreatedSerializer(IntegrationSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown this once: only its hash is kept")

    class Meta(IntegrationSerializer.Meta):
        fields = [*IntegrationSerializer.Meta.fields, "token"]


class IntegrationInputSerializer(StrictSerializerMixin, serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=Integration.SCOPE_CHOICES, default=Integration.READ_ONLY)
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647), required=False, max_length=1000
    )
    all_partners = serializers.BooleanField(default=False)
    expires_at = serializers.DateTimeField(required=False)
