"""Reads of webhooks, scoped to the asking user: staff see every endpoint, a partner admin her partner's."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from partners import access
from partners.models import Partner

from .models import Attempt, Delivery, Endpoint


def _managing(user: access.Actor) -> bool:
    return access.role_of(user) in (access.STAFF, access.PARTNER_ADMIN)


def own_partner(*, user: access.Actor) -> Partner | None:
    """A partner admin's endpoints are her partner's (the API and the page need not ask); staff's, the program's."""
    if access.role_of(user) != access.PARTNER_ADMIN:
        return None
    return access.profile_of(user).partner


def endpoint_list(*, user: access.Actor) -> QuerySet[Endpoint]:
    if not _managing(user):
        return Endpoint.objects.none()
    return Endpoint.objects.visible_to(user).select_related("partner", "owner")


def endpoint_get(*, user: access.Actor, pk: int | str) -> Endpoint:
    return get_object_or_404(endpoint_list(user=user), pk=pk)


def delivery_list(*, user: access.Actor, endpoint: Endpoint | None = None) -> QuerySet[Delivery]:
    """Deliveries, newest first, each with its attempts (newest first)."""
    if not _managing(user):
        return Delivery.objects.none()
    qs = Delivery.objects.visible_to(user).select_related("endpoint")
    if endpoint is not None:
        qs = qs.filter(endpoint=endpoint)
    return qs.prefetch_related(Prefetch("attempts_made", queryset=Attempt.objects.order_by("-attempted_at", "-id")))


def delivery_get(*, user: access.Actor, pk: int | str) -> Delivery:
    return get_object_or_404(delivery_list(user=user), pk=pk)
