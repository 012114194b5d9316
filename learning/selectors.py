"""Reads for Continuous Learning points, scoped to the asking user where a user asks.

`points_progress` is the public read other capabilities call. Whatever the number of partner
specializations it costs three queries: the holdings, the policy rows, and one SQL aggregation of the
ledger over the windows the pure rules computed (passed to the database as one array/JSON value).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core import clock
from core import selectors as core_selectors
from core.selectors import event_keys_starting
from partners import access
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors
from specializations.models import PartnerSpecialization, Specialization

from . import rules
from .models import KnowledgeSession, LearningRecord, PointsPolicy

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from partners.models import Partner

# The dedupe key of a session assignment (learning.services.session_assign): once per session, person and renewal.
ASSIGNED_PREFIX = "learning.assigned:"

# --- Progress ------------------------------------------------------------------------------------------


def policy_rows() -> list[rules.PolicyRow]:
    return [
        rules.PolicyRow(
            id=p.pk,
            kind=p.kind,
            label=p.label,
            effective_from=p.effective_from,
            effective_to=p.effective_to,
            required_points=p.required_points,
            window_months=p.window_months,
            pace_days=p.pace_days,
        )
        for p in PointsPolicy.objects.order_by("kind", "effective_from")
    ]


def _holdings(partner_specializations: Iterable[PartnerSpecialization | int]) -> list[rules.Holding]:
    if isinstance(partner_specializations, QuerySet):
        qs = specialization_selectors.partner_specializations(ids=partner_specializations.values("pk"))
    else:
        qs = specialization_selectors.partner_specializations(
            ids=[getattr(p, "pk", p) for p in partner_specializations]
        )
    rows = qs.values_list(
        "pk",
        "partner_id",
        "specialization__name",
        "specialization__kind",
        "anniversary",
        "last_renewed_on",
        "specialization__retired_on",
        "renewed_on",
    )
    return [rules.Holding(*row) for row in rows]


def points_progress(
    *, partner_specializations: Iterable[PartnerSpecialization | int], as_of: date
) -> dict[int, rules.Progress]:
    """Progress of each partner specialization (instances, ids or a queryset) on `as_of`, keyed by its id.

    Three queries however many are asked for.
    """
    holdings = _holdings(partner_specializations)
    if not holdings:
        return {}
    policies = policy_rows()
    windows = {h.id: rules.window_for(h, policies, as_of) for h in holdings}
    sums = _collected(windows)
    return {
        h.id: rules.progress(
            h, windows[h.id], collected=sums.get(h.id, (0, 0))[0], recent_points=sums.get(h.id, (0, 0))[1], as_of=as_of
        )
        for h in holdings
    }


def points_progress_all(*, as_of: date, partner_ids: Iterable[int] | None = None) -> dict[int, rules.Progress]:
    """The batch variant (the nightly recompute): every partner specialization, or those of some partners."""
    qs = specialization_selectors.partner_specializations(partner_ids=partner_ids)
    return points_progress(partner_specializations=qs, as_of=as_of)


def _windows_relation(rows: Iterable[Any]) -> tuple[str, list]:
    """A relation w(ps_id, lo, hi, recent_lo) from Python rows: counted points have lo < day <= hi."""
    if connection.vendor == "postgresql":
        columns = list(zip(*rows, strict=True))
        return (
            "unnest(%s::bigint[], %s::date[], %s::date[], %s::date[]) AS w(ps_id, lo, hi, recent_lo)",
            [list(c) for c in columns],
        )
    payload = json.dumps([[r[0], *(d.isoformat() for d in r[1:])] for r in rows])
    return (
        "(SELECT json_extract(value, '$[0]') AS ps_id, json_extract(value, '$[1]') AS lo, "
        "json_extract(value, '$[2]') AS hi, json_extract(value, '$[3]') AS recent_lo FROM json_each(%s)) w",
        [payload],
    )


def _pairs_sql(windows: dict[int, rules.Window]) -> tuple[str, list]:
    """One row per (partner specialization, individual, session) that earned points in its window, with the
    day it was first earned: once per individual per session per cycle, every held specialization the
    session is connected to (directly or through the specialization's architecture)."""
    rows = []
    for ps_id, w in windows.items():
        lo = w.exclusive_start or date.min
        pace = w.policy.pace_days if w.policy else 0
        rows.append((ps_id, lo, w.counted_until, w.counted_until - timedelta(days=pace)))
    relation, params = _windows_relation(rows)
    record, session = LearningRecord._meta.db_table, KnowledgeSession._meta.db_table
    ps, spec = PartnerSpecialization._meta.db_table, Specialization._meta.db_table
    to_spec = KnowledgeSession.specializations.through._meta.db_table
    to_arch = KnowledgeSession.architectures.through._meta.db_table
    counting = " OR ".join("(r.how = %s AND s.via_assessment = %s)" for _ in rules.COUNTING_WAYS)
    for how, via in rules.COUNTING_WAYS:
        params += [how, via]
    sql = f"""
        SELECT w.ps_id AS ps_id, w.recent_lo AS recent_lo, r.individual_id, r.session_id, s.points AS points,
               MIN(r.occurred_on) AS first_on
        FROM {relation}
        JOIN {ps} ps ON ps.id = w.ps_id
        JOIN (SELECT knowledgesession_id AS session_id, specialization_id FROM {to_spec}
              UNION
              SELECT a.knowledgesession_id, sp.id FROM {to_arch} a JOIN {spec} sp ON sp.architecture_id = a.architecture_id
             ) conn ON conn.specialization_id = ps.specialization_id
        JOIN {record} r ON r.partner_id = ps.partner_id AND r.session_id = conn.session_id
        JOIN {session} s ON s.id = r.session_id
        WHERE r.occurred_on > w.lo AND r.occurred_on <= w.hi
          AND r.reversal_of_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM {record} x WHERE x.reversal_of_id = r.id)
          AND ({counting})
        GROUP BY w.ps_id, w.recent_lo, r.individual_id, r.session_id, s.points
    """
    return sql, params


def _collected(windows: dict[int, rules.Window]) -> dict[int, tuple[int, int]]:
    """{ps id: (points collected, of which first earned in the recent pace period)} in one query."""
    pairs, params = _pairs_sql(windows)
    sql = (
        f"SELECT t.ps_id, SUM(t.points), SUM(CASE WHEN t.first_on > t.recent_lo THEN t.points ELSE 0 END) "
        f"FROM ({pairs}) t GROUP BY t.ps_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {int(ps_id): (int(total), int(recent)) for ps_id, total, recent in cursor.fetchall()}


def points_timeline(*, holding: rules.Holding, window: rules.Window) -> list[tuple[date, int]]:
    """Cumulative points of one partner specialization in its window, day by day where they changed."""
    pairs, params = _pairs_sql({holding.id: window})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.first_on, SUM(t.points) FROM ({pairs}) t GROUP BY t.first_on ORDER BY t.first_on", params
        )
        rows = cursor.fetchall()
    total, series = 0, []
    for day, points in rows:
        total += int(points)
        series.append((day if isinstance(day, date) else date.fromisoformat(day), total))
    return series


# --- One partner specialization in detail ------------------------------------------------------------


def holding_of(ps: PartnerSpecialization) -> rules.Holding:
    return rules.Holding(
        ps.pk,
        ps.partner_id,
        ps.specialization.name,
        ps.specialization.kind,
        ps.anniversary,
        ps.last_renewed_on,
        ps.specialization.retired_on,
        ps.renewed_on,
    )


def connected_sessions(specialization: Specialization) -> QuerySet[KnowledgeSession]:
    q = Q(specializations=specialization)
    if specialization.architecture_id:
        q |= Q(architectures=specialization.architecture_id)
    return KnowledgeSession.objects.filter(pk__in=KnowledgeSession.objects.filter(q).values("pk"))


def completions_standing(*, user: access.Actor, individual: Any, session: KnowledgeSession) -> list[LearningRecord]:
    """The individual's standing records of this session that count (not reversed, not a reversal), latest first:
    points count once per individual per session in a cycle, so recording it again there adds 0."""
    records = (
        LearningRecord.objects.visible_to(user)
        .filter(individual=individual, session=session, reversal_of__isnull=True, reversals__isnull=True)
        .order_by("-occurred_on", "-pk")
    )
    return [r for r in records if rules.record_counts(r.how, session.via_assessment)]


def specialization_ledger(
    *, user: access.Actor, ps: PartnerSpecialization, window: rules.Window
) -> list[dict[str, Any]]:
    """The ledger lines of this cycle for the sessions connected to this specialization, each with the points
    it brings and why (reversals included, so corrections stay visible)."""
    records = list(
        LearningRecord.objects.visible_to(user)
        .filter(
            partner_id=ps.partner_id,
            session__in=connected_sessions(ps.specialization),
            occurred_on__lte=window.counted_until,
        )
        .filter(Q(occurred_on__gte=window.start) if window.start else Q())
        .select_related("individual", "session", "reversal_of")
        .prefetch_related(Prefetch("reversals", queryset=LearningRecord.objects.only("id", "reversal_of_id")))
        .order_by("occurred_on", "id")
    )
    entries = [
        rules.LedgerEntry(
            r.pk,
            r.individual_id,
            r.session_id,
            r.occurred_on,
            r.how,
            r.session.via_assessment,
            r.session.points,
            r.reversal_of_id,
            bool(r.reversals.all()),
        )
        for r in records
    ]
    notes = rules.ledger_notes(entries, window)
    for r in records:
        r.cycle_points, r.note = notes[r.pk]
    return records


def specialization_plan(*, ps: PartnerSpecialization, window: rules.Window, gap: int, as_of: date) -> rules.Plan:
    """The connected active sessions that close the gap with the fewest hours, one line per individual."""
    if gap <= 0:
        return rules.Plan(gap=0)
    sessions = list(
        connected_sessions(ps.specialization)
        .filter(is_active=True)
        .order_by("points", "duration_hours", "id")
        .values_list("pk", "title", "points", "duration_hours")
    )
    people = [
        (a.individual_id, a.individual.name)
        for a in partner_selectors.current_associations(as_of=as_of, partner_id=ps.partner_id).order_by(
            "individual__last_name", "individual__first_name"
        )
    ]
    earned = set(
        LearningRecord.objects.effective()
        .counting()
        .filter(partner_id=ps.partner_id, occurred_on__lte=window.end)
        .filter(Q(occurred_on__gte=window.start) if window.start else Q())
        .values_list("individual_id", "session_id")
    )
    options = rules.plan_options(sessions=sessions, individuals=people, earned=earned, gap=gap)
    return rules.plan_fewest_hours(gap, options)


# --- Ledger and catalogue lists ----------------------------------------------------------------------


def learning_record_list(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[LearningRecord]:
    qs = LearningRecord.objects.visible_to(user).select_related("individual", "session", "partner", "reversal_of")
    if partner is not None:
        qs = qs.filter(partner=partner)
    return qs.order_by("-occurred_on", "-id")


def learning_record_get(*, user: access.Actor, pk: int | str) -> LearningRecord:
    return get_object_or_404(learning_record_list(user=user), pk=pk)


def session_list() -> QuerySet[KnowledgeSession]:
    return (
        KnowledgeSession.objects.select_related("focus_area__architecture")
        .prefetch_related("specializations", "architectures")
        .order_by("title")
    )


@dataclass
class Outlook:
    """Everything the specialization page and its API show about one partner specialization on `as_of`."""

    progress: rules.Progress
    window: rules.Window
    timeline: list
    plan: rules.Plan


def specialization_outlook(*, ps: PartnerSpecialization, as_of: date) -> Outlook:
    """Progress, the chart's points over time, and the fewest-hours plan (a fixed number of queries)."""
    progress = points_progress(partner_specializations=[ps], as_of=as_of)[ps.pk]
    window = rules.window_for(holding_of(ps), policy_rows(), as_of)
    return Outlook(
        progress=progress,
        window=window,
        timeline=points_timeline(holding=holding_of(ps), window=window),
        plan=specialization_plan(ps=ps, window=window, gap=progress.forecast.needed, as_of=as_of),
    )


def assigned_pairs(*, ps: PartnerSpecialization, due: date) -> set[tuple[int, int]]:
    """(session id, individual id) pairs already assigned (learning.services.session_assign) for this renewal."""
    prefix = f"{ASSIGNED_PREFIX}{ps.pk}:"
    pairs = set()
    for key in event_keys_starting(prefix):
        session_id, individual_id, day = key[len(prefix) :].split(":")
        if day == due.isoformat():
            pairs.add((int(session_id), int(individual_id)))
    return pairs


@dataclass(frozen=True)
class Assignment:
    """A session someone was asked to take (learning.services.session_assign) before a renewal."""

    session: KnowledgeSession
    specialization: str
    due: date
    assigned_on: date
    done: bool  # she has a standing learning record of the session since she was asked


def assignments_of(*, user: access.Actor, individual_id: int, as_of: date) -> list[Assignment]:
    """The sessions this individual was asked to take for renewals not yet past, soonest due first, as `user` may
    see them (a member only her own). Four queries, whatever the number of assignments."""
    events = access.events_visible(core_selectors.events(), user).filter(
        kind="learning.assigned", individual_id=individual_id, dedupe_key__startswith=ASSIGNED_PREFIX
    )
    asked = []  # (partner specialization id, session id, due, assigned on)
    for key, occurred_at in events.values_list("dedupe_key", "occurred_at"):
        ps_id, session_id, _, day = key[len(ASSIGNED_PREFIX) :].split(":")
        due = date.fromisoformat(day)
        if due >= as_of:
            asked.append((int(ps_id), int(session_id), due, clock.to_program_date(occurred_at)))
    if not asked:
        return []
    sessions = KnowledgeSession.objects.in_bulk({a[1] for a in asked})
    names = dict(
        specialization_selectors.partner_specializations(ids={a[0] for a in asked}).values_list(
            "pk", "specialization__name"
        )
    )
    taken = defaultdict(list)
    for session_id, day in (
        LearningRecord.objects.visible_to(user)
        .effective()
        .filter(individual_id=individual_id, session_id__in=sessions)
        .values_list("session_id", "occurred_on")
    ):
        taken[session_id].append(day)
    out = [
        Assignment(
            session=sessions[session_id],
            specialization=names.get(ps_id, ""),
            due=due,
            assigned_on=on,
            done=any(day >= on for day in taken[session_id]),
        )
        for ps_id, session_id, due, on in asked
        if session_id in sessions
    ]
    return sorted(out, key=lambda a: (a.done, a.due, a.session.title))
