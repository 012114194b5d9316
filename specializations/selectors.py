"""Reads for the catalogue and the specializations partners hold, scoped to the asking user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from core.models import ACTIVE_STATUSES

from .models import (
    Architecture,
    FocusArea,
    PartnerSpecialization,
    RoleAllocation,
    Specialization,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from typing import Any

    from django.db.models import QuerySet

    from partners import access
    from partners.models import Partner


def architecture_list() -> QuerySet[Architecture]:
    return Architecture.objects.prefetch_related("focus_areas").order_by("name")


def specialization_list() -> QuerySet[Specialization]:
    return Specialization.objects.select_related("architecture").prefetch_related("roles").order_by("kind", "name")


def specialization_get(*, pk: int | str) -> Specialization:
    return get_object_or_404(specialization_list(), pk=pk)


def partner_specialization_list(
    *, user: access.Actor, partner: Partner | None = None
) -> QuerySet[PartnerSpecialization]:
    allocations = RoleAllocation.objects.select_related("role", "individual").order_by("role__name", "id")
    qs = (
        PartnerSpecialization.objects.visible_to(user)
        .select_related("specialization__architecture", "territory", "partner")
        .prefetch_related(Prefetch("allocations", queryset=allocations), "specialization__roles")
    )
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.order_by("anniversary", "id")


def partner_specialization_get(*, user: access.Actor, pk: int | str) -> PartnerSpecialization:
    """The partner specialization, or 404 when it does not exist or the user may not see it."""
    return get_object_or_404(partner_specialization_list(user=user), pk=pk)


def role_allocation_get(*, user: access.Actor, pk: int | str) -> RoleAllocation:
    return get_object_or_404(
        RoleAllocation.objects.visible_to(user).select_related("partner_specialization__partner", "role", "individual"),
        pk=pk,
    )


# --- Reads other apps use (learning, certifications, compliance read holdings only through these) -------


def partner_specializations(
    *, ids: Iterable[Any] | None = None, partner_ids: Iterable[int] | None = None
) -> QuerySet[PartnerSpecialization]:
    """Every partner specialization (no user scope: for jobs and for selectors that scope themselves),
    optionally those with these ids (a list or a queryset of ids) or of these partners."""
    qs = PartnerSpecialization.objects.all()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if partner_ids is not None:
        qs = qs.filter(partner_id__in=list(partner_ids))
    return qs


def active_holdings_on(
    *, as_of: date, partner_ids: Iterable[int] | None = None
) -> QuerySet[PartnerSpecialization, tuple[Any, ...]]:
    """(partner id, territory id, specialization name, kind, status, anniversary) of the specializations held
    (Approved or Re-Cert) and certified on or before `as_of`."""
    qs = PartnerSpecialization.objects.filter(status__in=ACTIVE_STATUSES, certified_on__lte=as_of)
    if partner_ids is not None:
        qs = qs.filter(partner_id__in=list(partner_ids))
    return qs.values_list(
        "partner_id", "territory_id", "specialization__name", "specialization__kind", "status", "anniversary"
    )


def specialization_names(ids: Iterable[int] | None = None) -> dict[int, str]:
    qs = Specialization.objects.all() if ids is None else Specialization.objects.filter(pk__in=ids)
    return dict(qs.values_list("pk", "name"))


def specialization_find(pk: int | str | None) -> Specialization | None:
    return Specialization.objects.filter(pk=int(str(pk))).first() if str(pk or "").isdigit() else None


def role_allocations(*, user: access.Actor | None = None) -> QuerySet[RoleAllocation]:
    """Role allocations the user may see (every allocation when no user: jobs)."""
    return RoleAllocation.objects.visible_to(user) if user is not None else RoleAllocation.objects.all()


def catalogue_by_name(
    *, architectures: Iterable[str] = (), specializations: Iterable[str] = ()
) -> tuple[list[Architecture], list[Specialization]]:
    """Architectures and specializations by name (the demo and imports name them)."""
    return (
        list(Architecture.objects.filter(name__in=architectures)),
        list(Specialization.objects.filter(name__in=specializations)),
    )


def focus_area_get(*, architecture: str, name: str) -> FocusArea:
    return FocusArea.objects.get(architecture__name=architecture, name=name)


def partner_holdings(*, user: access.Actor, partner: Partner) -> QuerySet[PartnerSpecialization]:
    """The partner's specializations the user may see (no prefetching: callers add what they show)."""
    return PartnerSpecialization.objects.visible_to(user).filter(partner=partner)
