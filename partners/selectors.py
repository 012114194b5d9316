"""Reads for partners and people, always scoped to the asking user."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from core.models import Event

from . import access

from .models import Association, Individual, Partner, Territory


def partner_list(*, user, search: str = ""):
    qs = Partner.objects.visible_to(user).annotate(
        territory_count=Count("territories", distinct=True),
    ).prefetch_related("territories", "account_managers")
    if search:
        qs = qs.filter(Q(legal_name__icontains=search) | Q(vendor_partner_id__icontains=search))
    return qs.order_by("legal_name")


def partner_get(*, user, pk) -> Partner:
    """The partner, or 404 when it does not exist or the user may not see it."""
    return get_object_or_404(Partner.objects.visible_to(user), pk=pk)


def individual_list(*, user, partner: Partner | None = None, as_of: date | None = None):
    qs = Individual.objects.visible_to(user)
    if partner is not None:
        assoc = Association.objects.filter(partner=partner)
        if as_of is not None:
            assoc = assoc.current(as_of)
        qs = qs.filter(pk__in=assoc.values("individual"))
    visible_assoc = Association.objects.visible_to(user).select_related("partner")
    return qs.prefetch_related(Prefetch("associations", queryset=visible_assoc)).order_by("last_name", "first_name")


def individual_get(*, user, pk) -> Individual:
    return get_object_or_404(individual_list(user=user), pk=pk)


def partner_timeline(*, user, partner: Partner, limit: int = 200):
    return access.events_visible(Event.objects.all(), user).filter(partner=partner).select_related("actor")[:limit]


def territory_list():
    return Territory.objects.prefetch_related("countries").order_by("name")
