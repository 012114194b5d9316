"""The recompute: verdicts decided by rules.py from facts read set-wise, stored when they change.

Two entries: `verdicts_recompute` (these partners, or everyone: after a change of facts, the demo) and the
nightly `verdicts_refresh`, which evaluates only what can have changed: the partners whose facts changed (the
recompute queue, and credentials whose own row no longer matches their stored verdict) and the credentials
whose `next_change_on` has come (compliance/next_change.py). `full=True` evaluates everything (after a change
of policy rows or requirement sets: `manage.py recompute_verdicts --full`).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.db import transaction

from certifications.selectors import partner_specializations_at_risk
from core import clock
from core.bulk import Json, copy_upsert
from core.events import events_record_many
from core.models import ACTIVE_STATUSES, Event
from core.recompute import recomputes_claim_all, recomputes_requeue
from core.selectors import policy_book
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors
from specializations.models import PartnerSpecialization

from ..models import CredentialVerdict, PartnerCertification, VerdictChange
from ..rules import credential_at_risk, verdict_sentence
from ..selectors import credential_verdicts, key_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

    from django.db.models import QuerySet

    from core.models import CredentialBase

CERT, SPEC = "compliance.partnercertification", "specializations.partnerspecialization"
VERDICT_KEY = ["credential_type", "credential_id"]
# What a credential's own row puts on its stored verdict: a difference means its facts changed.
OWN = ("partner_id", "territory_id", "status", "anniversary", "name", "partner_name", "territory_name")
CHUNK = 5000  # ids per IN list


def verdicts_recompute(*, partner_ids: Iterable[int] | None, as_of: date) -> int:
    """Recompute and store the verdicts of these partners' credentials (None: every partner) as of a date.

    Constant queries plus the writes. Returns the number of credentials evaluated.
    """
    ids = None if partner_ids is None else sorted(set(partner_ids))
    certs = PartnerCertification.objects.all()
    specs = specialization_selectors.partner_specializations(partner_ids=ids)
    credentials = list(certs if ids is None else certs.filter(partner_id__in=ids)) + list(specs)
    stored = CredentialVerdict.objects.all() if ids is None else CredentialVerdict.objects.filter(partner_id__in=ids)
    _store(
        credentials,
        as_of=as_of,
        stored={(t, pk): (day, d) for t, pk, day, d in stored.values_list(*VERDICT_KEY, "as_of", "digest")},
        everyone=ids is None,
    )
    return len(credentials)


def verdicts_refresh(*, as_of: date, partner_range: tuple[int, int] | None = None, full: bool = False) -> dict:
    """The nightly recompute of the partners with lo <= id < hi (`partner_range`; None: every partner).

    Evaluates the credentials of partners whose facts changed and those whose verdict the date alone can have
    changed (`next_change_on` on or before `as_of`, or none stored); `full`: every credential. Takes the pending
    recompute requests of these partners (a replay of an earlier day reads them and leaves them for today's run).
    Returns {"verdicts": evaluated, "verdicts_written": rows stored, "partners_changed": n}.
    """
    keep = as_of < clock.today()
    claimed = recomputes_claim_all(partner_range=partner_range, keep=keep)
    try:
        return _refresh(as_of=as_of, partner_range=partner_range, full=full, claimed=claimed)
    except BaseException:
        if not keep:
            recomputes_requeue(claimed)
        raise


def _refresh(*, as_of: date, partner_range: tuple[int, int] | None, full: bool, claimed: set[int]) -> dict:
    def in_range(qs: QuerySet[Any]) -> QuerySet[Any]:
        if partner_range is None:
            return qs
        return qs.filter(partner_id__gte=partner_range[0], partner_id__lt=partner_range[1])

    fields = ("pk", "partner_id", "territory_id", "status", "anniversary")
    own = {
        (CERT, pk): rest
        for pk, *rest in in_range(PartnerCertification.objects.all()).values_list(*fields, "tier__name")
    }
    own |= {
        (SPEC, pk): rest
        for pk, *rest in in_range(specialization_selectors.partner_specializations()).values_list(
            *fields, "specialization__name"
        )
    }
    partner_names = partner_selectors.partner_names(None if partner_range is None else {row[0] for row in own.values()})
    territory_names = partner_selectors.territory_names()
    stored, changed, due = {}, set(claimed), set()
    for t, pk, *row, next_change_on, day, digest in in_range(CredentialVerdict.objects.all()).values_list(
        *VERDICT_KEY, *OWN, "next_change_on", "as_of", "digest"
    ):
        stored[(t, pk)] = (day, digest)
        if next_change_on is None or next_change_on <= as_of:
            due.add((t, pk))
        now = own.get((t, pk))
        if now and tuple(row) != (*now, partner_names.get(now[0], ""), territory_names.get(now[1], "")):
            changed.add(now[0])
    changed |= {row[0] for key, row in own.items() if key not in stored}
    due = set(own) if full else (due & set(own)) | {key for key, row in own.items() if row[0] in changed}
    credentials = _load(due, everything=len(due) == len(own), in_range=in_range)
    written = _store(credentials, as_of=as_of, stored=stored, everyone=partner_range is None and len(due) == len(own))
    return {"verdicts": len(credentials), "verdicts_written": written, "partners_changed": len(changed)}


def _load(keys: set[tuple[str, int]], *, everything: bool, in_range: Any) -> list[CredentialBase]:
    """The credentials with these keys, read in one query per type (per CHUNK ids), or all in range."""
    out: list[CredentialBase] = []
    for label, qs in (
        (CERT, PartnerCertification.objects.all()),
        (SPEC, specialization_selectors.partner_specializations()),
    ):
        if everything:
            out += list(in_range(qs))
            continue
        ids = sorted(pk for t, pk in keys if t == label)
        for start in range(0, len(ids), CHUNK):
            out += list(qs.filter(pk__in=ids[start : start + CHUNK]))
    return out


def _digest(values: Iterable[Any]) -> str:
    """A short fingerprint of a verdict row (not a secret: a change detector); its JSON is encoded already."""
    return hashlib.blake2b("\x1f".join(map(str, values)).encode(), digest_size=16).hexdigest()


def _previous(credentials: Sequence[CredentialBase], as_of: date, *, everyone: bool) -> dict:
    """The compliance status last recorded (VerdictChange) on or before `as_of`, per credential key."""
    qs = VerdictChange.objects.filter(as_of__lte=as_of).order_by("as_of")
    found: dict[tuple[str, int], bool] = {}
    batches: list[QuerySet[VerdictChange]] = []
    if everyone:
        batches = [qs]
    else:
        for label in (CERT, SPEC):
            ids = sorted(c.pk for c in credentials if key_of(c)[0] == label)
            batches += [
                qs.filter(credential_type=label, credential_id__in=ids[s : s + CHUNK])
                for s in range(0, len(ids), CHUNK)
            ]
    for batch in batches:
        for label, pk, compliant in batch.values_list("credential_type", "credential_id", "compliant"):
            found[(label, pk)] = compliant
    return found


def _store(credentials: Sequence[CredentialBase], *, as_of: date, stored: dict, everyone: bool) -> int:
    """Evaluate these credentials and store the verdicts that changed, their status changes and events.

    `stored`: {key: (as_of, digest)} of the stored verdicts. Returns the number of verdict rows written.
    """
    if not credentials:
        return 0
    verdicts = credential_verdicts(credentials=credentials, as_of=as_of, with_next_change=True)
    horizon = policy_book().get("compliance.at_risk_days", as_of) or 0  # before the first row: no look-ahead
    partner_ids = None if everyone else sorted({c.partner_id for c in credentials})
    # A specialization whose roles a lapsing individual certification would leave unfilled is at risk too.
    roles_short = partner_specializations_at_risk(partner_ids=partner_ids, as_of=as_of)
    previous = _previous(credentials, as_of, everyone=everyone)
    partner_names = partner_selectors.partner_names(partner_ids)
    territory_names = partner_selectors.territory_names()
    now = clock.now()
    rows, changes, events = [], [], []
    for cred in credentials:
        key = key_of(cred)
        v = verdicts[key]
        active = cred.status in ACTIVE_STATUSES
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
            "at_risk": credential_at_risk(
                v,
                active=active,
                horizon_days=horizon,
                roles_short=isinstance(cred, PartnerSpecialization) and cred.pk in roles_short,
            ),
            "points": v.facts.get("points") or "",
            "csat_count": v.facts.get("csat_count"),
            "csat_required": v.facts.get("csat_required"),
            "requirement_set": v.requirement_set[:100],
            "requirements": Json(json.dumps(v.requirements_json())),  # encoded once: for the digest and the write
            "next_change_on": v.next_change,
        }
        digest = _digest(fields.values())
        stored_as_of, stored_digest = stored.get(key, (as_of, ""))
        # Write only what changed, and never overwrite a later verdict with an earlier recompute.
        if stored_digest != digest and stored_as_of <= as_of:
            rows.append(
                {"credential_type": key[0], "credential_id": key[1], **fields, "digest": digest, "as_of": as_of}
                | {"computed_at": now}
            )
        if active and previous.get(key) is not v.compliant:
            changes.append(
                {
                    "credential_type": key[0],
                    "credential_id": key[1],
                    "partner_id": cred.partner_id,
                    "name": fields["name"],
                    "as_of": as_of,
                    "compliant": v.compliant,
                    "requirement_set": fields["requirement_set"],
                    "requirements": fields["requirements"],
                    "recorded_at": now,
                }
            )
            events.append(
                Event(
                    partner_id=cred.partner_id,
                    kind="compliance.verdict_changed",
                    occurred_at=now,
                    summary=verdict_sentence(
                        f"{fields['name']} · {fields['territory_name']}", v.unmet, as_of=as_of, compliant=v.compliant
                    ),
                    payload={"credential": list(key), "compliant": v.compliant, "as_of": as_of.isoformat()},
                    dedupe_key=f"verdict:{key[0]}:{key[1]}:{as_of.isoformat()}:{int(v.compliant)}",
                )
            )
    with transaction.atomic():
        if rows:
            copy_upsert(
                CredentialVerdict, rows, conflict=VERDICT_KEY, update=[k for k in rows[0] if k not in VERDICT_KEY]
            )
        copy_upsert(
            VerdictChange,
            changes,
            conflict=[*VERDICT_KEY, "as_of"],
            update=["compliant", "requirement_set", "requirements", "recorded_at"],
        )
        events_record_many(events)
    return len(rows)
