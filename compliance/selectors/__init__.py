"""Reads for certifications, requirements and verdicts, in three parts: `live` (verdicts computed from the facts,
in a constant number of queries), `stored` (the verdicts the nightly recompute stored, while they hold) and `reads`
(what a user may see, for pages and the API). Import from here."""

from .live import (
    ACTIVE,
    BIG_IN,
    credential_verdicts,
    key_of,
    requirement_sets,
    set_for,
)
from .reads import (
    PORTFOLIO_ORDER,
    certification_get,
    certification_list,
    hybrid_services,
    partner_credentials,
    partner_verdicts,
    portfolio,
    portfolio_chart,
    support_agreements,
    support_capabilities,
    verdict_history,
)
from .stored import (
    StoredRow,
    StoredUnmet,
    StoredVerdict,
    compliant_on,
    partner_verdicts_stored,
    recorded_on,
    stored_verdicts_current,
    verdicts_stored_current,
)

__all__ = [
    "ACTIVE",
    "BIG_IN",
    "PORTFOLIO_ORDER",
    "StoredRow",
    "StoredUnmet",
    "StoredVerdict",
    "certification_get",
    "certification_list",
    "compliant_on",
    "credential_verdicts",
    "hybrid_services",
    "key_of",
    "partner_credentials",
    "partner_verdicts",
    "partner_verdicts_stored",
    "portfolio",
    "portfolio_chart",
    "recorded_on",
    "requirement_sets",
    "set_for",
    "stored_verdicts_current",
    "support_agreements",
    "support_capabilities",
    "verdict_history",
    "verdicts_stored_current",
]
