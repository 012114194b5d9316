"""Writes for the specializations partners hold: granting one (staff) and allocating people to its roles.

Renewals (status changes, renewal applications) belong to the renewals capability.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import clock
from core.events import event_record
from core.recompute import recompute_queue
from partners import access
from partners import selectors as partner_selectors
from partners.models import Individual, Partner, Territory

from .models import (
    PartnerSpecialization,
    RoleAllocation,
    Specialization,
    SpecializationRole,
)


def partner_specialization_create(
    *,
    partner: Partner,
    specialization: Specialization,
    territory: Territory,
    certified_on: date,
    anniversary: date,
    actor: access.Actor,
) -> PartnerSpecialization:
    """Record that a partner holds a specialization in a country or grouping (RULES 1.1, 1.2, 2.3)."""
    access.require(actor, "specialization.grant", partner=partner)
    errors = {}
    if not partner.is_registered:
        errors["partner"] = f"{partner} is not a Registered Partner, so it cannot hold a specialization."
    if not specialization.is_on_sale(certified_on):
        errors["specialization"] = f"{specialization} is end-of-sale since {specialization.end_of_sale}."
    if anniversary <= certified_on:
        errors["anniversary"] = "The anniversary must come after the certification date."
    if errors:
        raise ValidationError(errors)
    ps = PartnerSpecialization(
        partner=partner,
        specialization=specialization,
        territory=territory,
        certified_on=certified_on,
        anniversary=anniversary,
        status_changed_on=certified_on,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                ps.save()
        except IntegrityError:
            raise ValidationError(
                {"specialization": f"{partner} already holds {specialization} in {territory}."}
            ) from None
        event_record(
            kind="specialization.granted",
            partner=partner,
            actor=actor,
            summary=f"{specialization} granted in {territory}, anniversary {anniversary}",
            payload={"partner_specialization": ps.pk},
        )
        recompute_queue(partner_id=partner.pk)
    return ps


def role_allocate(
    *,
    partner_specialization: PartnerSpecialization,
    role: SpecializationRole,
    individual: Individual,
    actor: access.Actor,
) -> RoleAllocation:
    """Allocate an individual who works for the partner today to one of the specialization's roles (RULES 1.5)."""
    ps = partner_specialization
    access.require(actor, "role.allocate", partner=ps.partner)
    errors = {}
    if role.specialization_id != ps.specialization_id:
        errors["role"] = f"{role.name} is not a role of {ps.specialization}."
    if not partner_selectors.is_current_member(partner_id=ps.partner_id, individual=individual, as_of=clock.today()):
        errors["individual"] = f"This individual does not work for {ps.partner} today."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                allocation = RoleAllocation.objects.create(partner_specialization=ps, role=role, individual=individual)
        except IntegrityError:
            raise ValidationError({"individual": f"{individual} already fills the role {role.name}."}) from None
        event_record(
            kind="specialization.role_allocated",
            partner=ps.partner,
            actor=actor,
            individual=individual,
            summary=f"{individual} allocated as {role.name} for {ps.specialization}",
            payload={"allocation": allocation.pk},
        )
    return allocation


def role_release(*, allocation: RoleAllocation, actor: access.Actor) -> None:
    ps = allocation.partner_specialization
    access.require(actor, "role.allocate", partner=ps.partner)
    with transaction.atomic():
        event_record(
            kind="specialization.role_released",
            partner=ps.partner,
            actor=actor,
            individual=allocation.individual,
            summary=f"{allocation.individual} no longer {allocation.role.name} for {ps.specialization}",
            payload={"allocation": allocation.pk},
            dedupe_key=f"specialization.role_released:{allocation.pk}",
        )
        allocation.delete()
