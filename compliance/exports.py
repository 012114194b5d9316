"""The portfolio as CSV for a spreadsheet: one column per figure (numbers as numbers, points collected and
required apart), dates in ISO 8601, states in the words the pages use, every cell written through
core.exports (formula injection neutralised)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet

from core import status as states
from core.exports import csv_lines

from .models import CredentialVerdict

HEADER = [
    "partner",
    "partner_id",
    "country",
    "credential",
    "tier",
    "status",
    "compliance",
    "anniversary",
    "days_left",
    "points_collected",
    "points_required",
    "csat_count",
    "csat_required",
    "as_of",
]
FIELDS = [
    "partner_name",
    "partner__vendor_partner_id",
    "territory__code",
    "name",
    "tier",
    "status",
    "compliant",
    "at_risk",
    "anniversary",
    "points",
    "csat_count",
    "csat_required",
    "as_of",
    "requirements",
]


def state_labels(*, status: str, compliant: bool, at_risk: bool, requirements=()) -> tuple[str, str]:
    """The words for a credential's lifecycle status and its compliance, from core.status as the pages show them."""
    compliance = states.compliance_label(compliant=compliant, at_risk=at_risk, requirements=requirements)
    return states.label(states.LIFECYCLE, status), compliance


def points_split(points: str) -> tuple[int | None, int | None]:
    """`collected/required` as stored on the verdict (`39/75`) as two numbers; blank for a credential without a
    points requirement."""
    collected, _, required = points.partition("/")
    if not (collected.isdigit() and required.isdigit()):
        return None, None
    return int(collected), int(required)


def portfolio_csv(qs: QuerySet[CredentialVerdict], *, today: date) -> Iterator[str]:
    """The header, then one line per verdict row (streamed, in chunks)."""
    yield from csv_lines([HEADER])
    rows = qs.values_list(*FIELDS).iterator(chunk_size=2000)
    yield from csv_lines(_line(row, today) for row in rows)


def _line(row: tuple, today: date) -> list:
    (
        partner,
        partner_id,
        country,
        credential,
        tier,
        status,
        compliant,
        at_risk,
        anniversary,
        points,
        *csat,
        as_of,
        reqs,
    ) = row
    status_label, compliance = state_labels(status=status, compliant=compliant, at_risk=at_risk, requirements=reqs)
    days_left = (anniversary - today).days
    identity = [partner, partner_id, country, credential, tier]
    return [*identity, status_label, compliance, anniversary, days_left, *points_split(points), *csat, as_of]
