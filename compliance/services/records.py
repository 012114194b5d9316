"""Writes of what a partner records per territory and staff verify: Hybrid IT services, support agreements
and support capabilities. A change clears the verification; every write queues a recompute."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock
from core.events import event_record
from core.recompute import recompute_queue
from partners import access

if TYPE_CHECKING:
    from datetime import date
    from typing import Any

    from compliance.models import PartnerRecord
    from partners.models import Partner, Territory

RECORD_FIELDS = {
    "HybridITService": [
        "name",
        "kind",
        "provider_contract",
        "customer_sla",
        "description",
        "lifecycle_process",
        "withdrawn_on",
    ],
    "SupportAgreement": ["kind", "reference", "starts_on", "ends_on"],
    "SupportCapability": ["code", "description", "since", "until"],
}
EVENT_NOUNS = {
    "HybridITService": "hybrid_it_service",
    "SupportAgreement": "support_agreement",
    "SupportCapability": "support_capability",
}  # event kinds: `<noun>.saved`, `.verified`, `.deleted`


def _partner_territory_check(partner: Partner, territory: Territory | None) -> None:

    if territory is not None and not partner.territories.filter(pk=territory.pk).exists():
        raise ValidationError({"territory": f"{partner} does not operate in {territory}."})


@transaction.atomic
def partner_record_save(
    *,
    model: type[PartnerRecord],
    partner: Partner,
    actor: access.Actor,
    instance: PartnerRecord | None = None,
    **fields: Any,
) -> PartnerRecord:
    """Create or change a Hybrid IT service, support agreement or support capability. A change clears the
    staff verification: changed evidence is verified again."""
    access.require(actor, "record.save", partner=partner)

    allowed = set(RECORD_FIELDS[model.__name__]) | {"territory"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    obj = instance or model(partner=partner)
    for name, value in fields.items():
        setattr(obj, name, value)
    _partner_territory_check(partner, getattr(obj, "territory", None) if obj.territory_id else None)
    obj.verified_on, obj.verified_by = None, None
    obj.full_clean()
    obj.save()
    noun = str(model._meta.verbose_name)
    event_record(
        kind=f"{EVENT_NOUNS[model.__name__]}.saved",
        partner=partner,
        actor=actor,
        summary=f"{noun[0].upper()}{noun[1:]} “{obj}” {'changed' if instance else 'recorded'} for {obj.territory}",
    )
    recompute_queue(partner_id=partner.pk)
    return obj


@transaction.atomic
def partner_record_verify(*, obj: PartnerRecord, actor: access.Actor, on: date | None = None) -> PartnerRecord:
    """Program staff confirm a recorded service, agreement or capability."""
    access.require(actor, "record.verify", partner=obj.partner)
    obj.verified_on, obj.verified_by = on or clock.today(), access.person(actor)
    obj.save(update_fields=["verified_on", "verified_by"])
    event_record(
        kind=f"{EVENT_NOUNS[type(obj).__name__]}.verified",
        partner=obj.partner,
        actor=actor,
        summary=f"{str(obj._meta.verbose_name)[0].upper()}{str(obj._meta.verbose_name)[1:]} “{obj}” verified",
    )
    recompute_queue(partner_id=obj.partner_id)
    return obj


@transaction.atomic
def partner_record_delete(*, obj: PartnerRecord, actor: access.Actor) -> None:
    access.require(actor, "record.save", partner=obj.partner)
    partner_id, text = obj.partner_id, str(obj)
    obj.delete()
    event_record(
        kind=f"{EVENT_NOUNS[type(obj).__name__]}.deleted",
        partner=obj.partner,
        actor=actor,
        summary=f"{str(obj._meta.verbose_name)[0].upper()}{str(obj._meta.verbose_name)[1:]} “{text}” removed",
    )
    recompute_queue(partner_id=partner_id)
