"""Reads for overviews (the homes): status changes, the 12-month trend from the verdict history, and the
records waiting for program staff to verify them. Scoped to the asking user, a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Count, F, JSONField, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast

from core.dates import add_months
from core.selectors import policy_book

from .models import CredentialVerdict, VerdictChange
from .selectors import hybrid_services, support_agreements, support_capabilities

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partners import access


def verdict_changes_between(*, user: access.Actor, since: date, until: date) -> QuerySet[VerdictChange]:
    """The compliance status changes the user may see recorded from `since` to `until` (inclusive), newest first,
    with the credential's country (`territory_name`, from its stored verdict)."""
    stored = CredentialVerdict.objects.filter(
        credential_type=OuterRef("credential_type"), credential_id=OuterRef("credential_id")
    )
    return (
        VerdictChange.objects.visible_to(user)
        .filter(as_of__gte=since, as_of__lte=until)
        .select_related("partner")
        .annotate(territory_name=Subquery(stored.values("territory_name")[:1]))  # the change names no country
        .order_by("-as_of", "partner__legal_name", "name", "territory_name")
    )


def month_ends(as_of: date, months: int) -> list[date]:
    """The last day of each of the `months` months up to `as_of`'s (that month ends on `as_of`), oldest first."""
    first = as_of.replace(day=1)
    ends = [add_months(first, -k + 1) - timedelta(days=1) for k in range(months - 1, 0, -1)]
    return [*ends, as_of]


def verdict_trend(*, user: access.Actor, as_of: date, months: int = 12) -> dict:
    """Per month, the credentials the user may see that were compliant, at risk, or not compliant at its end,
    from the verdict history (VerdictChange): each credential's latest change on or before the day. A compliant
    credential counts as at risk when its recorded shortfall falls due within the at-risk horizon of that day
    (the history keeps the requirements of each change). One query for the history, one for the figures."""
    ends = month_ends(as_of, months)
    # The requirements are read only where they can tell "at risk": a compliant change with a next step pending.
    pending_step = Q(compliant=True, requirements_text__regex=r'"next_step": "[^"]')
    rows = (
        VerdictChange.objects.visible_to(user)
        .filter(as_of__lte=as_of)
        .annotate(requirements_text=Cast("requirements", TextField()))
        .order_by("as_of")
        .values_list(
            "credential_type",
            "credential_id",
            "as_of",
            "compliant",
            Case(When(pending_step, then=F("requirements")), default=Value(None), output_field=JSONField()),
        )
    )
    book = policy_book()
    state: dict[tuple[str, int], tuple[bool, tuple[date, ...]]] = {}
    series: dict[str, list[int]] = {"compliant": [], "at_risk": [], "not_compliant": []}
    it = iter(rows)
    pending = next(it, None)
    for end in ends:
        while pending is not None and pending[2] <= end:
            label, pk, _, compliant, requirements = pending
            dues = tuple(
                date.fromisoformat(r["due"]) for r in requirements or () if r.get("next_step") and r.get("due")
            )
            state[(label, pk)] = (compliant, dues)
            pending = next(it, None)
        limit = end + timedelta(days=book.get("compliance.at_risk_days", end) or 0)
        ok = risk = bad = 0
        for compliant, dues in state.values():
            if not compliant:
                bad += 1
            elif any(end <= due <= limit for due in dues):
                risk += 1
            else:
                ok += 1
        series["compliant"].append(ok)
        series["at_risk"].append(risk)
        series["not_compliant"].append(bad)
    return {"labels": [e.strftime("%b %Y") for e in ends], **series}


def records_to_verify(*, user: access.Actor) -> list[tuple[int, str, int]]:
    """(partner id, partner name, count) of the partners with compliance records (Hybrid IT services, support
    agreements and capabilities) that program staff have not verified yet, most first. One query per kind."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for select in (hybrid_services, support_agreements, support_capabilities):
        for pid, name, n in (
            select(user=user)
            .filter(verified_on__isnull=True)
            .order_by()
            .values_list("partner_id", "partner__legal_name")
            .annotate(n=Count("pk"))
        ):
            counts[(pid, name)] += n
    return sorted(((pid, name, n) for (pid, name), n in counts.items()), key=lambda r: (-r[2], r[1]))
