"""The one writer of a credential's status, for every kind of credential (partner certifications and partner
specializations), whichever app asks: the renewal scan (Re-Cert, lapse, retirement), renewal approval,
revocation, and the end of a certification."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from core.models import ACTIVE_STATUSES, CredentialBase

from ..models import CertificationChange, PartnerCertification

BATCH = 2000


def credentials_status_set(*, credentials: list[CredentialBase], status: str, on: date) -> None:
    """Set these credentials' status from `on`: one UPDATE per credential model and batch of 2,000. A partner
    certification that stops being held (lapsed, revoked) gets its tier-history row, which the rules read to
    tell a new partner from one that held a certification before."""
    by_model: defaultdict[type[CredentialBase], list[int]] = defaultdict(list)
    losses = []
    for c in credentials:
        by_model[type(c)].append(c.pk)
        if isinstance(c, PartnerCertification) and c.status in ACTIVE_STATUSES and status not in ACTIVE_STATUSES:
            losses.append(
                CertificationChange(certification_id=c.pk, from_tier_id=c.tier_id, to_tier=None, changed_on=on)
            )
        c.status, c.status_changed_on = status, on
    for model, ids in by_model.items():
        for start in range(0, len(ids), BATCH):
            model._default_manager.filter(pk__in=ids[start : start + BATCH]).update(status=status, status_changed_on=on)
    CertificationChange.objects.bulk_create(losses, batch_size=BATCH)
