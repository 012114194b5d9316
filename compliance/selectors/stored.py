"""Stored verdicts: what the nightly recompute wrote, read while it still holds."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.selectors import recompute_pending_partners
from partners import access
from specializations import selectors as specialization_selectors

from ..models import (
    CredentialVerdict,
    PartnerCertification,
    VerdictChange,
)
from .live import ACTIVE, key_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from django.db.models import QuerySet

    from core.models import CredentialBase


def compliant_on(*, credential: CredentialBase, on: date) -> bool | None:
    """Was this credential compliant on `on`? None when no verdict had been recorded by then."""
    return recorded_on(credentials=[credential], on=on).get(key_of(credential))


def verdicts_stored_current(
    *, credentials: Sequence[CredentialBase], on: date
) -> dict[tuple[str, int], CredentialVerdict]:
    """The stored verdicts of these credentials that still hold on `on`, keyed like credential_verdicts: computed on
    or before it, the date alone cannot change them before `next_change_on` (after `on`; unknown is not current),
    no recompute pending for the partner, and status and anniversary as on the credential. One query."""
    rows = CredentialVerdict.objects.filter(_of(credentials), as_of__lte=on, next_change_on__gt=on).exclude(
        partner_id__in=recompute_pending_partners()
    )
    found = {(r.credential_type, r.credential_id): r for r in rows}
    current = {}
    for c in credentials:
        row = found.get(key_of(c))
        if row is not None and (row.status, row.anniversary) == (c.status, c.anniversary):
            current[key_of(c)] = row
    return current


CERT, SPEC = "compliance.partnercertification", "specializations.partnerspecialization"


class StoredRow(NamedTuple):
    """A stored verdict that holds, with what the verdict API shows beside it (partner_verdicts_stored)."""

    credential_type: str
    credential_id: int
    partner_id: int
    country: str
    name: str
    status: str
    anniversary: date
    compliant: bool
    requirement_set: str
    requirements: list[dict]
    recorded_compliant: bool | None


def _held(field: str) -> Case:
    """A column of the credential a verdict row is of (NULL when the credential is gone)."""
    certs = PartnerCertification.objects.filter(pk=OuterRef("credential_id")).order_by()
    specs = specialization_selectors.partner_specializations().filter(pk=OuterRef("credential_id")).order_by()
    return Case(
        When(credential_type=CERT, then=Subquery(certs.values(field)[:1])),
        When(credential_type=SPEC, then=Subquery(specs.values(field)[:1])),
    )


def _held_count(qs: QuerySet[Any]) -> Coalesce:
    """How many credentials of this kind the row's partner holds."""
    counted = qs.filter(partner_id=OuterRef("partner_id")).order_by().values("partner_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0, output_field=IntegerField())


def _stored_rows(partner_id: int, on: date) -> QuerySet[Any, Any]:
    """The partner's stored verdicts computed by `on` and due to change after it, with their credential's own
    columns (NULL when it is gone), whether those still match, how many credentials the partner holds, whether a
    recompute is pending, and the compliance status recorded on `on`."""
    recorded = VerdictChange.objects.filter(
        credential_type=OuterRef("credential_type"), credential_id=OuterRef("credential_id"), as_of__lte=on
    ).order_by("-as_of")
    return (
        CredentialVerdict.objects.filter(partner_id=partner_id, as_of__lte=on, next_change_on__gt=on)
        .annotate(
            held_status=_held("status"),
            held_anniversary=_held("anniversary"),
            held_territory=_held("territory_id"),
        )
        .annotate(
            gone=Case(When(held_status__isnull=True, then=Value(True)), default=Value(False)),
            same=Case(
                When(
                    held_status=F("status"),
                    held_anniversary=F("anniversary"),
                    held_territory=F("territory_id"),
                    then=Value(True),
                ),
                default=Value(False),
            ),
            held=_held_count(PartnerCertification.objects.all())
            + _held_count(specialization_selectors.partner_specializations()),
            pending=Exists(recompute_pending_partners().filter(partner_id=OuterRef("partner_id"))),
            recorded=Subquery(recorded.values("compliant")[:1]),
        )
        .order_by()
        .values_list(
            "credential_type",
            "credential_id",
            "partner_id",
            "territory__code",
            "name",
            "status",
            "anniversary",
            "compliant",
            "requirement_set",
            "requirements",
            "recorded",
            "territory__name",
            "gone",
            "same",
            "held",
            "pending",
        )
    )


_PARTNER, _ON = -2_147_483_000, date(1901, 2, 3)  # placeholders in the SQL compiled once
_compiled: dict[str, tuple[str, list]] = {}


def _stored_rows_fetch(partner_id: int, on: date) -> list[tuple]:
    """_stored_rows' rows, its SQL compiled once per database vendor (compiling those subqueries cost ten times
    running them), its values as the ORM would read them."""
    ops = connection.ops
    if connection.vendor not in _compiled:
        compiled_sql, compiled_params = _stored_rows(_PARTNER, _ON).query.sql_with_params()
        _compiled[connection.vendor] = (compiled_sql, list(compiled_params))
    sql, params = _compiled[connection.vendor]
    placeholder_on, on_value = ops.adapt_datefield_value(_ON), ops.adapt_datefield_value(on)
    args = [partner_id if p == _PARTNER else on_value if p == placeholder_on else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        raw = cursor.fetchall()
    rows = []
    for (
        *head,
        anniversary,
        compliant,
        requirement_set,
        requirements,
        recorded,
        t_name,
        gone,
        same,
        held,
        pending,
    ) in raw:
        rows.append(
            (
                *head,
                anniversary if isinstance(anniversary, date) else date.fromisoformat(anniversary),
                bool(compliant),
                requirement_set,
                json.loads(requirements) if isinstance(requirements, str) else requirements,
                None if recorded is None else bool(recorded),
                t_name,
                bool(gone),
                bool(same),
                held,
                bool(pending),
            )
        )
    return rows


def partner_verdicts_stored(*, user: access.Actor, partner_id: int, on: date) -> list[StoredRow] | None:
    """The verdicts of every credential of the partner on `on`, from the stored rows in ONE query, in the order of
    partner_credentials (certifications by country name, then specializations by anniversary); None unless the
    user may see the partner and each of its credentials has a stored verdict that holds (as
    verdicts_stored_current decides): the caller then reads the credentials and computes what is not stored."""
    if not access.may_see_partner(user, partner_id):
        return None
    rows = [r for r in _stored_rows_fetch(partner_id, on) if not r[12]]  # a row whose credential is gone: no one's
    if not rows or rows[0][14] != len(rows) or rows[0][15] or not all(r[13] for r in rows):
        return None  # none stored, a credential without a current row, a recompute pending, or its facts moved
    rows.sort(key=lambda r: (0, r[11], 0, r[1]) if r[0] == CERT else (1, "", r[6], r[1]))
    return [StoredRow(*r[:11]) for r in rows]


def _of(credentials: Iterable[CredentialBase]) -> Q:
    """Rows (verdicts, verdict changes) of these credentials: one IN list per credential type."""
    by_type = defaultdict(list)
    for c in credentials:
        by_type[c._meta.label_lower].append(c.pk)
    q = Q(pk__in=[])
    for label, ids in by_type.items():
        q |= Q(credential_type=label, credential_id__in=ids)
    return q


def recorded_on(*, credentials: Iterable[CredentialBase], on: date) -> dict[tuple[str, int], bool]:
    """The stored compliance status of each credential on a date (the latest change on or before it)."""
    out = {}
    for label, pk, compliant in (
        VerdictChange.objects.filter(_of(credentials), as_of__lte=on)
        .order_by("as_of")
        .values_list("credential_type", "credential_id", "compliant")
    ):
        out[(label, pk)] = compliant
    return out


# --- Stored verdicts still current (the daily scan) ------------------------------------------------------


class StoredUnmet(NamedTuple):
    label: str
    missing: str


class StoredVerdict(NamedTuple):
    """What the scan needs of a stored verdict: compliant or not and, when not, what is unmet."""

    compliant: bool
    anniversary: date  # the anniversary it was judged for: a verdict of another cycle is not this one's
    unmet: tuple[StoredUnmet, ...]


def stored_verdicts_current(
    *, on: date, partner_range: tuple[int, int] | None = None
) -> dict[tuple[str, int], StoredVerdict]:
    """The stored verdicts of active credentials that still hold on `on`, keyed (model label, pk), in one query:
    stored by a recompute on or before `on`, not due to change by the date alone until after `on`
    (`next_change_on` > `on`; unknown: not current), and no recompute pending for the partner. The requirements
    (JSON) are read only for the verdicts that are not compliant. `partner_range`: partner ids lo <= id < hi."""
    qs = CredentialVerdict.objects.filter(as_of__lte=on, next_change_on__gt=on, status__in=ACTIVE).exclude(
        partner_id__in=recompute_pending_partners()
    )
    if partner_range is not None:
        qs = qs.filter(partner_id__gte=partner_range[0], partner_id__lt=partner_range[1])
    # Only for the verdicts not compliant; on PostgreSQL only the unmet entries' two texts leave the database.
    requirements = _UnmetPairs("requirements") if connection.vendor == "postgresql" else F("requirements")
    unmet = Case(When(compliant=False, then=requirements), default=Value(None), output_field=JSONField())
    rows = qs.order_by().values_list("credential_type", "credential_id", "compliant", "anniversary", unmet)
    return {
        (label, pk): StoredVerdict(compliant, anniversary, _unmet(requirements) if requirements else ())
        for label, pk, compliant, anniversary, requirements in rows
    }


class _UnmetPairs(Func):
    """PostgreSQL: [[label, missing], ...] of the requirements not met (NULL when all are)."""

    template = (
        "(SELECT jsonb_agg(jsonb_build_array(r->>'label', r->>'missing')) FROM jsonb_array_elements(%(expressions)s) r"
        " WHERE r->>'met' = 'false')"
    )
    output_field = JSONField()


class UnmetLabels(Func):
    """PostgreSQL: the labels of the requirements not met, a JSON list."""

    template = (
        "(SELECT coalesce(jsonb_agg(r->'label'), '[]'::jsonb) FROM jsonb_array_elements(%(expressions)s) r"
        " WHERE r->>'met' = 'false')"
    )
    output_field = JSONField()


class NotMetYet(Func):
    """PostgreSQL: whether a stored verdict has a requirement met today with a shortfall falling due later (its
    `next_step` and `due`): core.status's "Not met yet", which tells On track from Compliant."""

    template = (
        "(SELECT EXISTS (SELECT 1 FROM jsonb_array_elements(%(expressions)s) r WHERE r->>'met' = 'true'"
        " AND coalesce(r->>'next_step', '') <> '' AND coalesce(r->>'due', '') <> ''))"
    )
    output_field = BooleanField()


def _unmet(requirements: list) -> tuple[StoredUnmet, ...]:
    """The unmet requirements: from the stored requirements (dicts) or _UnmetPairs' pairs."""
    return tuple(
        StoredUnmet(*r) if isinstance(r, list) else StoredUnmet(r["label"], r["missing"])
        for r in requirements
        if isinstance(r, list) or not r["met"]
    )
