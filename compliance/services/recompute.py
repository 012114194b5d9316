"""The recompute: verdicts decided by rules.py from facts read set-wise, stored when they change."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction

from certifications.selectors import partner_specializations_at_risk
from core import clock
from core.events import events_record_many
from core.models import CredentialStatus, Event
from core.selectors import policy_book
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors
from specializations.models import PartnerSpecialization

from ..models import CredentialVerdict, PartnerCertification, VerdictChange
from ..selectors import credential_verdicts, key_of

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from django.db import models
    from django.db.models import QuerySet

    _M = TypeVar("_M", bound=models.Model)


def verdicts_recompute(*, partner_ids: Iterable[int] | None, as_of: date) -> int:
    """Recompute and store the verdicts of these partners' credentials (None: every partner) as of a date.

    Constant queries plus the writes: credentials, facts and stored verdicts are read set-wise, the rules
    decide, then new or changed verdicts (by digest) are upserted in bulk; `as_of` on a stored verdict is the
    recompute that last changed it. Every change of compliance status is kept
    (VerdictChange) with an event on the partner's timeline. Returns the number of verdicts stored.
    """

    def scoped(qs: QuerySet[_M]) -> QuerySet[_M]:
        return qs if partner_ids is None else qs.filter(partner_id__in=list(partner_ids))

    certs = list(scoped(PartnerCertification.objects.all()))
    specs = list(specialization_selectors.partner_specializations(partner_ids=partner_ids))
    credentials = certs + specs
    if not credentials:
        return 0
    verdicts = credential_verdicts(credentials=credentials, as_of=as_of)
    horizon = policy_book().get("compliance.at_risk_days", as_of) or 0  # before the first row: no look-ahead
    # A specialization whose roles a lapsing individual certification would leave unfilled is at risk too.
    roles_short = partner_specializations_at_risk(partner_ids=partner_ids, as_of=as_of)
    stored = {
        (t, pk): (day, digest)
        for t, pk, day, digest in scoped(CredentialVerdict.objects.all()).values_list(
            "credential_type", "credential_id", "as_of", "digest"
        )
    }
    previous = {}
    for label, pk, compliant in (
        scoped(VerdictChange.objects.filter(as_of__lte=as_of))
        .order_by("as_of")
        .values_list("credential_type", "credential_id", "compliant")
    ):
        previous[(label, pk)] = compliant
    partner_names = partner_selectors.partner_names(
        None if partner_ids is None else {c.partner_id for c in credentials}
    )
    territory_names = partner_selectors.territory_names()
    now = clock.now()
    active = {CredentialStatus.APPROVED, CredentialStatus.RECERT}
    rows, changes, events = [], [], []
    for cred in credentials:
        key = key_of(cred)
        v = verdicts[key]
        fields = {
            "partner_id": cred.partner_id,
            "territory_id": cred.territory_id,
            "name": v.facts.get("name", "")[:120],
            "partner_name": partner_names.get(cred.partner_id, ""),
            "territory_name": territory_names.get(cred.territory_id, ""),
            "tier": v.facts.get("tier", ""),
            "status": cred.status,
            "anniversary": cred.anniversary,
            "compliant": v.compliant,
            "at_risk": cred.status in active
            and (
                v.at_risk(horizon_days=horizon) or (isinstance(cred, PartnerSpecialization) and cred.pk in roles_short)
            ),
            "points": v.facts.get("points") or "",
            "csat_count": v.facts.get("csat_count"),
            "csat_required": v.facts.get("csat_required"),
            "requirement_set": v.requirement_set[:100],
            "requirements": v.requirements_json(),
        }
        fields["digest"] = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()
        fields.update(as_of=as_of, computed_at=now)
        stored_as_of, stored_digest = stored.get(key, (as_of, ""))
        # Write only what changed, and never overwrite a later verdict with an earlier recompute.
        if stored_digest != fields["digest"] and stored_as_of <= as_of:
            rows.append(CredentialVerdict(credential_type=key[0], credential_id=key[1], **fields))
        if cred.status in active and previous.get(key) is not v.compliant:
            changes.append(
                VerdictChange(
                    credential_type=key[0],
                    credential_id=key[1],
                    partner_id=cred.partner_id,
                    name=fields["name"],
                    as_of=as_of,
                    compliant=v.compliant,
                    requirement_set=fields["requirement_set"],
                    requirements=fields["requirements"],
                    recorded_at=now,
                )
            )
            state = "compliant" if v.compliant else "not compliant: " + "; ".join(r.label for r in v.unmet)
            events.append(
                Event(
                    partner_id=cred.partner_id,
                    kind="compliance.verdict_changed",
                    occurred_at=now,
                    summary=f"{fields['name']} is {state} as of {as_of.isoformat()}"[:300],
                    payload={"credential": list(key), "compliant": v.compliant, "as_of": as_of.isoformat()},
                    dedupe_key=f"verdict:{key[0]}:{key[1]}:{as_of.isoformat()}:{int(v.compliant)}",
                )
            )
    update_fields = [f.removesuffix("_id") for f in fields]
    with transaction.atomic():
        CredentialVerdict.objects.bulk_create(  # one upsert (INSERT ... ON CONFLICT DO UPDATE) per batch
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["credential_type", "credential_id"],
            update_fields=update_fields,
        )
        VerdictChange.objects.bulk_create(
            changes,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["credential_type", "credential_id", "as_of"],
            update_fields=["compliant", "requirement_set", "requirements", "recorded_at"],
        )
        events_record_many(events)
    return len(credentials)
