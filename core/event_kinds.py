"""Every kind of event the portal records, in one place (the timeline, the API and webhooks show them).

One style: `<noun>.<verb in the past or snake_case state>`, lower case, one dot between the noun and the
verb (`renewal.submitted`, `ce_claim.reviewed`, `hybrid_it_service.saved`). A kind is a name, not a key:
dedupe keys are built separately and keep their format when a kind is renamed
(core/migrations/0004_event_kind_style.py renamed the kinds of the rows already recorded).
"""

from __future__ import annotations

import re

KIND_STYLE = re.compile(r"^[a-z][a-z_]*[a-z]\.[a-z][a-z_]*[a-z]$")

KINDS: dict[str, str] = {
    "partner.created": "A partner was added to the program",
    "partner.updated": "A partner's details changed",
    "individual.associated": "A person started working for the partner",
    "individual.left": "A person stopped working for the partner",
    "specialization.granted": "A specialization was granted",
    "specialization.role_allocated": "A person was allocated to a specialization role",
    "specialization.role_released": "A person was released from a specialization role",
    "learning.recorded": "Knowledge sessions were recorded",
    "learning.reversed": "A learning record was reversed",
    "learning.assigned": "A person was asked to take a knowledge session",
    "ce_certification.added": "An individual certification was recorded",
    "ce_certification.renewed": "An individual certification was renewed",
    "ce_certification.reminded": "An individual was reminded that a certification expires",
    "ce_exam.recorded": "A passed exam was recorded",
    "ce_claim.submitted": "A CE credit claim was submitted",
    "ce_claim.reviewed": "A CE credit claim was reviewed",
    "csat.response_recorded": "A CSAT response was recorded",
    "csat.validity_changed": "A CSAT response was marked valid or invalid",
    "csat.followup_recorded": "A follow-up of a low score was recorded",
    "csat.imported": "CSAT responses were imported",
    "csat.measurement_date_changed": "A CSAT measurement date was moved",
    "certification.granted": "A partner certification was granted or changed tier",
    "certification.lapsed": "A partner certification lapsed",
    "certification.revoked": "A partner certification was revoked",
    "hybrid_it_service.saved": "A Hybrid IT service was recorded or changed",
    "hybrid_it_service.verified": "A Hybrid IT service was verified",
    "hybrid_it_service.deleted": "A Hybrid IT service was removed",
    "hybrid_it_service.evidence_added": "Evidence documents were attached to a Hybrid IT service",
    "hybrid_it_service.evidence_removed": "An evidence document was removed from a Hybrid IT service",
    "support_agreement.saved": "A support agreement was recorded or changed",
    "support_agreement.verified": "A support agreement was verified",
    "support_agreement.deleted": "A support agreement was removed",
    "support_agreement.evidence_added": "Evidence documents were attached to a support agreement",
    "support_agreement.evidence_removed": "An evidence document was removed from a support agreement",
    "support_capability.saved": "A support capability was recorded or changed",
    "support_capability.verified": "A support capability was verified",
    "support_capability.deleted": "A support capability was removed",
    "support_capability.evidence_added": "Evidence documents were attached to a support capability",
    "support_capability.evidence_removed": "An evidence document was removed from a support capability",
    "compliance.verdict_changed": "A credential became compliant or not compliant",
    "renewal.opened": "A renewal window opened (Re-Cert)",
    "renewal.reminded": "A renewal reminder was sent",
    "credential.lapsed": "A credential lapsed",
    "credential.retired": "A credential was retired",
    "renewal.submitted": "A renewal application was submitted",
    "renewal.approved": "A renewal was approved",
    "renewal.rejected": "A renewal was rejected",
    "incident.opened": "A non-compliance incident was opened",
    "incident.flagged": "A non-compliance incident was flagged for revocation",
    "incident.closed": "A non-compliance incident was closed",
    "incident.acknowledged": "A non-compliance incident was acknowledged",
    "incident.extended": "A non-compliance incident's deadline was extended",
    "credential.revoked": "A credential was revoked",
    "loyalty.account_created": "A loyalty account was opened",
    "loyalty.terms_accepted": "The loyalty terms were accepted",
    "loyalty.booking_recorded": "A booking was recorded",
    "loyalty.tiers_placed": "Accounts were placed in tiers for a fiscal year",
    "loyalty.award_issued": "Learning credits were awarded",
    "loyalty.redeemed": "Learning credits were redeemed",
    "loyalty.redemption_reversed": "A redemption was reversed",
    "loyalty.lots_expired": "Learning credits expired",
    "loyalty.expiry_warned": "A captain was warned that credits expire",
    "webhook.endpoint_saved": "A webhook endpoint was added or changed",
    "webhook.secret_rotated": "A webhook endpoint's signing secret was rotated",
    "webhook.endpoint_disabled": "A webhook endpoint was disabled after failing for days",
}


# What a person sees instead of the code: the topic of the kind's noun (the timeline's badge, the filters).
TOPICS: dict[str, str] = {
    "partner": "Partner",
    "individual": "People",
    "specialization": "Specialization",
    "learning": "Learning",
    "ce_certification": "Certification",
    "ce_exam": "Exam",
    "ce_claim": "CE claim",
    "csat": "Customer satisfaction",
    "certification": "Partner certification",
    "hybrid_it_service": "Hybrid IT",
    "support_agreement": "Support",
    "support_capability": "Support",
    "compliance": "Compliance",
    "renewal": "Renewal",
    "credential": "Credential",
    "incident": "Incident",
    "loyalty": "Learning credits",
    "webhook": "Webhook",
}


def kind_topic(kind: str) -> str:
    """The topic a person reads for an event kind ("compliance.verdict_changed" -> "Compliance")."""
    return TOPICS.get(kind.partition(".")[0], "Event")


def kind_description(kind: str) -> str:
    """One sentence on what the kind means ("A credential became compliant or not compliant")."""
    return KINDS.get(kind, kind_topic(kind))


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown event kind {kind!r}: add it to core/event_kinds.py")
