"""What each event kind (core/event_kinds.py) is about and what its payload holds: the one table the event feed
serializes subjects from and the OpenAPI document describes payloads from (integrations/openapi.py).

`subject`: the type of thing the event is about; `key`: the payload field holding its id (None: the event's
partner, or nothing for "program"). A payload may gain fields; the ones listed here are always there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .event_kinds import KINDS

INT = {"type": "integer"}
STR = {"type": "string"}
DATE = {"type": "string", "format": "date"}
BOOL = {"type": "boolean"}
IDS = {"type": "array", "items": INT}
CREDENTIAL = {"type": "string", "description": "`<app>.<model>:<id>` of a partner certification or specialization"}
AMOUNTS = {"type": "object", "additionalProperties": INT, "description": "Credits by lot id"}
MISSING: dict[str, Any] = {"type": "array", "items": {"type": "object", "additionalProperties": True}}

# Subject types and the API route (basename) that shows one; None: no route.
SUBJECT_ROUTES: dict[str, str | None] = {
    "program": None,
    "credential": None,
    "partner": "partner",
    "individual": "individual",
    "partner_specialization": "partner-specialization",
    "certification": "certification",
    "role_allocation": None,
    "learning_record": "learning-record",
    "ce_certification": "ce-certification",
    "ce_exam": "ce-exam",
    "ce_claim": "ce-claim",
    "renewal_application": "renewal-application",
    "incident": "incident",
    "loyalty_account": "loyalty-account",
    "loyalty_redemption": "loyalty-redemption",
    "webhook_endpoint": "webhook",
}
# A credential reference's model label -> its subject type.
CREDENTIAL_TYPES = {
    "specializations.partnerspecialization": "partner_specialization",
    "compliance.partnercertification": "certification",
}


@dataclass(frozen=True)
class Shape:
    subject: str
    key: str | None = None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)


def _partner(**fields: dict[str, Any]) -> Shape:
    return Shape("partner", None, fields)


RENEWAL_STEP: dict[str, dict[str, Any]] = {
    "credential": CREDENTIAL,
    "anniversary": DATE,
    "as_of": DATE,
    "policy": INT,
    "days": {"type": "integer", "nullable": True},
    "missing": MISSING,
}
APPLICATION = {"application": INT, "credential": CREDENTIAL}
INCIDENT = {"incident": INT, "credential": {"type": "string", "description": "`<content type id>:<id>`"}}
RECORD = _partner()

PAYLOADS: dict[str, Shape] = {
    "partner.created": _partner(),
    "partner.updated": Shape("partner", None, {}),  # the changed fields, each as text
    "individual.associated": Shape("individual", "individual", {"individual": INT, "start": DATE}),
    "individual.left": Shape("individual", "individual", {"individual": INT}),
    "specialization.granted": Shape(
        "partner_specialization", "partner_specialization", {"partner_specialization": INT}
    ),
    "specialization.role_allocated": Shape("role_allocation", "allocation", {"allocation": INT}),
    "specialization.role_released": Shape("role_allocation", "allocation", {"allocation": INT}),
    "learning.recorded": _partner(count=INT, source=STR, ids={**IDS, "description": "The first and last record ids"}),
    "learning.reversed": Shape("learning_record", "record", {"record": INT, "reversal": INT, "reason": STR}),
    "learning.assigned": Shape(
        "individual", "individual", {"partner_specialization": INT, "session": INT, "individual": INT}
    ),
    "ce_certification.added": Shape("ce_certification", "certification", {"individual": INT, "certification": INT}),
    "ce_certification.renewed": Shape(
        "ce_certification", "certification", {"certification": INT, "path": INT, "starts_on": DATE, "expires_on": DATE}
    ),
    "ce_certification.reminded": Shape(
        "ce_certification", "certification", {"certification": INT, "days": INT, "expires_on": DATE}
    ),
    "ce_exam.recorded": Shape("ce_exam", "exam", {"individual": INT, "exam": INT}),
    "ce_claim.submitted": Shape("ce_claim", "claim", {"individual": INT, "claim": INT}),
    "ce_claim.reviewed": Shape("ce_claim", "claim", {"individual": INT, "claim": INT, "status": STR}),
    "csat.response_recorded": _partner(),
    "csat.validity_changed": _partner(),
    "csat.followup_recorded": _partner(),
    "csat.imported": Shape("program", None, {"partners": IDS, "created": INT}),
    "csat.measurement_date_changed": Shape("program"),
    "certification.granted": Shape("certification", "certification", {"certification": INT, "tier": STR, "on": DATE}),
    "certification.lapsed": _partner(),
    "certification.revoked": _partner(),
    "hybrid_it_service.saved": RECORD,
    "hybrid_it_service.verified": RECORD,
    "hybrid_it_service.deleted": RECORD,
    "hybrid_it_service.evidence_added": RECORD,
    "hybrid_it_service.evidence_removed": RECORD,
    "support_agreement.saved": RECORD,
    "support_agreement.verified": RECORD,
    "support_agreement.deleted": RECORD,
    "support_agreement.evidence_added": RECORD,
    "support_agreement.evidence_removed": RECORD,
    "support_capability.saved": RECORD,
    "support_capability.verified": RECORD,
    "support_capability.deleted": RECORD,
    "support_capability.evidence_added": RECORD,
    "support_capability.evidence_removed": RECORD,
    "compliance.verdict_changed": Shape(
        "credential",
        "credential",
        {
            "credential": {"type": "array", "items": {"oneOf": [STR, INT]}, "description": "[label, id]"},
            "compliant": BOOL,
            "as_of": DATE,
        },
    ),
    "renewal.opened": Shape("credential", "credential", RENEWAL_STEP),
    "renewal.reminded": Shape("credential", "credential", RENEWAL_STEP),
    "credential.lapsed": Shape("credential", "credential", RENEWAL_STEP),
    "credential.retired": Shape("credential", "credential", RENEWAL_STEP),
    "renewal.submitted": Shape("renewal_application", "application", APPLICATION),
    "renewal.approved": Shape(
        "renewal_application", "application", {**APPLICATION, "previous_anniversary": DATE, "anniversary": DATE}
    ),
    "renewal.rejected": Shape("renewal_application", "application", APPLICATION),
    "incident.opened": Shape("incident", "incident", INCIDENT),
    "incident.flagged": Shape("incident", "incident", INCIDENT),
    "incident.closed": Shape("incident", "incident", INCIDENT),
    "incident.acknowledged": Shape("incident", "incident", {"incident": INT, "late": BOOL}),
    "incident.extended": Shape("incident", "incident", {"incident": INT, "until": DATE}),
    "credential.revoked": Shape("credential", "credential", {"incident": INT, "credential": CREDENTIAL}),
    "loyalty.account_created": Shape("loyalty_account", "account", {"account": INT}),
    "loyalty.terms_accepted": Shape("loyalty_account", "account", {"account": INT, "awards_start": DATE}),
    "loyalty.booking_recorded": Shape("loyalty_account", "account", {"account": INT, "booking": INT}),
    "loyalty.tiers_placed": Shape("program", None, {"fiscal_year": INT, "accounts": IDS}),
    "loyalty.award_issued": Shape("loyalty_account", "account", {"account": INT, "lot": INT}),
    "loyalty.redeemed": Shape(
        "loyalty_redemption", "redemption", {"account": INT, "redemption": INT, "allocations": AMOUNTS}
    ),
    "loyalty.redemption_reversed": Shape("loyalty_redemption", "redemption", {"account": INT, "redemption": INT}),
    "loyalty.lots_expired": Shape("program", None, {"lots": AMOUNTS}),
    "loyalty.expiry_warned": Shape(
        "loyalty_account", "account", {"account": INT, "expires_on": DATE, "credits": INT, "days": INT}
    ),
    "webhook.endpoint_saved": Shape(
        "webhook_endpoint", "endpoint", {"endpoint": INT, "enabled": BOOL, "kinds": {"type": "array", "items": STR}}
    ),
    "webhook.secret_rotated": Shape("webhook_endpoint", "endpoint", {"endpoint": INT}),
    "webhook.endpoint_disabled": Shape("webhook_endpoint", "endpoint", {"endpoint": INT}),
}
assert PAYLOADS.keys() == KINDS.keys(), "every kind in core/event_kinds.py has a payload shape here"


def payload_schema(kind: str) -> dict[str, Any]:
    """The schema of `kind`'s payload (OpenAPI 3.0)."""
    fields = PAYLOADS[kind].fields
    schema: dict[str, Any] = {"type": "object", "properties": fields, "additionalProperties": True}
    if kind == "partner.updated":
        schema = {"type": "object", "additionalProperties": STR, "description": "The changed fields, as text"}
    return schema


def subject_of(kind: str, partner_id: int | None, payload: dict[str, Any]) -> tuple[str, int | None]:
    """(type, id) of what an event is about, from the table above; id None when the event names none."""
    shape = PAYLOADS.get(kind)
    if shape is None:
        return "program", None
    if shape.key is None:
        return shape.subject, partner_id if shape.subject == "partner" else None
    value = payload.get(shape.key)
    if shape.subject != "credential":
        return shape.subject, value if isinstance(value, int) else None
    if isinstance(value, list) and len(value) == 2:  # [label, id]
        label, pk = value
    elif isinstance(value, str) and ":" in value:  # "label:id"
        label, _, pk = value.rpartition(":")
    else:
        return "credential", None
    pk = int(pk) if str(pk).isdigit() else None
    return CREDENTIAL_TYPES.get(str(label), "credential"), pk
