"""Reads for customer satisfaction, scoped to the asking user, and the counts the compliance engine reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from .models import FollowUp, MeasurementDate, SurveyResponse

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partners import access
    from partners.models import Partner


def response_list(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.visible_to(user).select_related("partner", "territory", "follow_up")
    return qs.filter(partner=partner) if partner is not None else qs


def response_get(*, user: access.Actor, pk: int | str) -> SurveyResponse:
    return get_object_or_404(response_list(user=user), pk=pk)


def followup_list(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[FollowUp]:
    qs = FollowUp.objects.visible_to(user).select_related("response", "response__partner", "recorded_by")
    return qs.filter(response__partner=partner) if partner is not None else qs


def measurement_date_list() -> QuerySet[MeasurementDate]:
    return MeasurementDate.objects.order_by("date")


def measurement_dates() -> tuple[date, ...]:
    return tuple(MeasurementDate.objects.order_by("date").values_list("date", flat=True))


@dataclass(frozen=True)
class Window:
    """Responses received after `start` and on or before `end` count for the measurement on `deadline`;
    a score of `low_max` or less is low and needs a follow-up recorded before the deadline."""

    name: str
    start: date
    end: date
    deadline: date
    low_max: int


def window_counts(*, windows: list[Window], partner_ids: Iterable[int] | None = None) -> tuple[dict, dict]:
    """Per (partner id, territory id): {window name: (valid, low, low followed up in time)}; and per (partner id,
    territory id) the low-score responses not followed up in time, oldest first, as (received, score,
    followed_on, "customer (score, received)"). Two queries, whatever the number of partners."""
    if not windows:
        return {}, {}
    aggregates = {}
    for w in windows:
        in_window = Q(received_on__gt=w.start, received_on__lte=w.end, valid=True, score__isnull=False)
        followed = Exists(FollowUp.objects.filter(response=OuterRef("pk"), recorded_on__lt=w.deadline))
        aggregates[f"{w.name}_valid"] = Count("pk", filter=in_window)
        aggregates[f"{w.name}_low"] = Count("pk", filter=in_window & Q(score__lte=w.low_max))
        aggregates[f"{w.name}_followed"] = Count("pk", filter=in_window & Q(score__lte=w.low_max) & Q(followed))
    qs = SurveyResponse.objects.filter(
        received_on__gt=min(w.start for w in windows), received_on__lte=max(w.end for w in windows)
    )
    if partner_ids is not None:
        qs = qs.filter(partner_id__in=list(partner_ids))
    counts = {}
    # the stubs type values() rows by the names given; the aggregates' names are built above
    rows = cast("Iterable[dict[str, Any]]", qs.values("partner_id", "territory_id").annotate(**aggregates).order_by())
    for row in rows:
        counts[(row["partner_id"], row["territory_id"])] = {
            w.name: (row[f"{w.name}_valid"], row[f"{w.name}_low"], row[f"{w.name}_followed"]) for w in windows
        }
    late = Q(follow_up__isnull=True) | Q(follow_up__recorded_on__gte=min(w.deadline for w in windows))
    unfollowed = defaultdict(list)
    for pid, tid, customer, score, received, followed_on in (
        qs.filter(late, valid=True, score__lte=max(w.low_max for w in windows))
        .order_by("received_on", "pk")
        .values_list("partner_id", "territory_id", "customer", "score", "received_on", "follow_up__recorded_on")
    ):
        unfollowed[(pid, tid)].append(
            (received, score, followed_on, f"{customer} (score {score}, received {received.isoformat()})")
        )
    return counts, unfollowed
