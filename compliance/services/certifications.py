"""Writes of partner certifications: grant (a new holding or a change of tier) and end (lapse, revocation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from core.dates import add_months
from core.events import event_record
from core.models import CredentialStatus
from core.recompute import recompute_queue
from partners import access

from ..models import CertificationChange, PartnerCertification
from .credentials import credentials_status_set

if TYPE_CHECKING:
    from datetime import date

    from compliance.models import CertificationTier
    from partners.models import Partner, Territory


@transaction.atomic
def certification_grant(
    *,
    partner: Partner,
    territory: Territory,
    tier: CertificationTier,
    on: date,
    anniversary: date | None = None,
    actor: access.Actor,
) -> PartnerCertification:
    """Certify a partner at `tier` in a territory from `on` (a new holding, or a change of tier).

    Keeps the history (CertificationChange) that decides "new" partners and Premier-to-Gold moves.
    """
    access.require(actor, "certification.grant", partner=partner)
    if not partner.is_registered:
        raise ValidationError({"partner": "The partner must be a Registered Partner first."})
    cert = PartnerCertification.objects.select_for_update().filter(partner=partner, territory=territory).first()
    active = cert is not None and cert.status in (CredentialStatus.APPROVED, CredentialStatus.RECERT)
    if cert is None:
        cert = PartnerCertification(partner=partner, territory=territory)
    elif active and cert.tier_id == tier.pk:
        raise ValidationError({"tier": f"The partner already holds {tier} in {territory}."})
    elif not active:
        last = cert.changes.order_by("-changed_on", "-id").first()
        if last is None or last.to_tier_id is not None:
            CertificationChange.objects.create(
                certification=cert, from_tier=cert.tier, to_tier=None, changed_on=cert.status_changed_on or on
            )
    from_tier = cert.tier if (cert.pk and active) else None
    if not active:
        cert.certified_on = on
        cert.anniversary = anniversary or add_months(on, 12)
        cert.last_renewed_on = None
    elif anniversary:
        cert.anniversary = anniversary
    cert.tier, cert.tier_since = tier, on
    cert.status, cert.status_changed_on = CredentialStatus.APPROVED, on
    cert.save()
    CertificationChange.objects.create(certification=cert, from_tier=from_tier, to_tier=tier, changed_on=on)
    summary = (
        f"{from_tier} moved to {tier} in {territory} on {on}"
        if from_tier
        else f"Certified {tier} in {territory} from {on}"
    )
    event_record(
        kind="certification.granted",
        summary=summary,
        partner=partner,
        actor=actor,
        dedupe_key=f"certification:{cert.pk}:{tier.pk}:{on.isoformat()}",
        payload={"certification": cert.pk, "tier": tier.name, "on": on.isoformat()},
    )
    recompute_queue(partner_id=partner.pk)
    return cert


@transaction.atomic
def certification_end(
    *, certification: PartnerCertification, on: date, status: str, actor: access.Actor
) -> PartnerCertification:
    """The certification is lost (lapsed or revoked) from `on`; the history records it."""
    access.require(actor, "certification.grant", partner=certification.partner)
    credentials_status_set(credentials=[certification], status=status, on=on)
    event_record(
        kind=f"certification.{status}",
        partner=certification.partner,
        actor=actor,
        summary=f"{certification.tier} in {certification.territory} {CredentialStatus(status).label.lower()} on {on}",
        dedupe_key=f"certification-end:{certification.pk}:{on.isoformat()}",
    )
    recompute_queue(partner_id=certification.partner_id)
    return certification
