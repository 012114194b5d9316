"""Reads for the catalogue and the specializations partners hold, scoped to the asking user."""
from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Architecture, PartnerSpecialization, RoleAllocation, Specialization


def architecture_list():
    return Architecture.objects.prefetch_related("focus_areas").order_by("name")


def specialization_list():
    return Specialization.objects.select_related("architecture").prefetch_related("roles").order_by("kind", "name")


def specialization_get(*, pk) -> Specialization:
    return get_object_or_404(specialization_list(), pk=pk)


def partner_specialization_list(*, user, partner=None):
    allocations = RoleAllocation.objects.select_related("role", "individual").order_by("role__name", "id")
    qs = (PartnerSpecialization.objects.visible_to(user)
          .select_related("specialization__architecture", "territory", "partner")
          .prefetch_related(Prefetch("allocations", queryset=allocations), "specialization__roles"))
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.order_by("anniversary", "id")


def partner_specialization_get(*, user, pk) -> PartnerSpecialization:
    """The partner specialization, or 404 when it does not exist or the user may not see it."""
    return get_object_or_404(partner_specialization_list(user=user), pk=pk)


def role_allocation_get(*, user, pk) -> RoleAllocation:
    return get_object_or_404(RoleAllocation.objects.visible_to(user).select_related(
        "partner_specialization__partner", "role", "individual"), pk=pk)
