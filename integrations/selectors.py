"""Reads: the integrations a person manages, the integration behind a token, and the event feed."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from core import selectors as core_selectors
from core.models import Event
from partners import access

from .models import Integration

FEED_PAGE = 100
FEED_PAGE_MAX = 1000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def integration_list(*, user: access.Actor) -> QuerySet[Integration]:
    """The integrations `user` manages: staff all, a partner admin her partner's; nobody else any."""
    if isinstance(user, access.IntegrationActor) or access.role_of(user) not in (access.STAFF, access.PARTNER_ADMIN):
        return Integration.objects.none()
    return Integration.objects.visible_to(user).select_related("owner", "owner_partner").prefetch_related("partners")


def integration_for_token(token: str) -> Integration | None:
    """The integration whose token this is (revoked and expired ones too: the caller says why it refuses)."""
    return (
        Integration.objects.select_related("owner__profile", "owner_partner")
        .prefetch_related("partners")
        .filter(token_hash=token_hash(token))
        .first()
    )


def actor_of(integration: Integration) -> access.IntegrationActor:
    if integration.owner_partner_id is not None:
        partner_ids: frozenset[int] | None = frozenset({integration.owner_partner_id})
    elif integration.all_partners:
        partner_ids = None
    else:
        partner_ids = frozenset(p.pk for p in integration.partners.all())
    return access.IntegrationActor(
        integration_id=integration.pk,
        name=integration.name,
        partner_ids=partner_ids,
        read_only=integration.read_only,
    )


# --- the event feed -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """Where a reader stopped: the last event served, by (transaction id, event id); txid is 0 on SQLite."""

    txid: int
    id: int

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"{self.txid}.{self.id}".encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raises ValueError on anything that is not a cursor this feed gave."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            txid, _, pk = raw.partition(".")
            cursor = cls(int(txid), int(pk))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ValueError("Not a cursor this feed gave: resume from the `cursor` of a page.") from None
        if len(text) > 60 or not (0 <= cursor.txid < 2**63 and 0 <= cursor.id < 2**63) or cursor.encode() != text:
            raise ValueError("Not a cursor this feed gave: resume from the `cursor` of a page.")
        return cursor


# The horizon: the oldest transaction of this database still running when this statement's snapshot was taken (the
# snapshot's next id when none is). Every event committed later has a transaction id at or above it, so serving
# only the events below it, in (txid, id) order, and resuming after the last one served skips nothing. Running
# transactions of other databases on the server are left out (they write no event here); one that pg_stat_activity
# does not show (it ended meanwhile, a prepared transaction) counts, which is only cautious.
_HORIZON = (
    "(SELECT COALESCE(MIN(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)"
    " FROM pg_snapshot_xip(pg_current_snapshot()) AS x WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a"
    " WHERE a.datname <> current_database() AND a.backend_xid::text = mod(x::text::bigint, 4294967296)::text))"
)
# Read inside a transaction that wrote events (a test), the reader also sees its own: a second condition, left out
# otherwise so that a page is one ordered range of the (txid, id) index.
_OWN = "compliance_event.txid = pg_current_xact_id_if_assigned()::text::bigint"


def event_feed(
    *,
    user: access.Actor,
    after: Cursor | None = None,
    partner: int | None = None,
    kinds: list[str] | None = None,
    occurred_after: datetime | None = None,
    limit: int = FEED_PAGE,
) -> tuple[list[Event], Cursor | None, bool]:
    """The events `user` may see (the timeline's rule), oldest first in commit order, after `after`.

    Returns (events, the cursor to resume from, whether more are ready now). PostgreSQL orders by the writing
    transaction (core/migrations/0007_event_txid.py), SQLite (one writer at a time) by id."""
    qs = access.events_visible(core_selectors.events(), user)
    if partner is not None:
        qs = qs.filter(partner_id=partner)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if occurred_after is not None:
        qs = qs.filter(occurred_at__gt=occurred_after)
    if connection.vendor == "postgresql":
        committed = f"compliance_event.txid < {_HORIZON}"
        if connection.in_atomic_block:
            committed = f"({committed} OR {_OWN})"
        qs = qs.annotate(txid=RawSQL("compliance_event.txid", ())).filter(
            RawSQL(committed, (), output_field=BooleanField())
        )
        if after is not None:
            qs = qs.filter(
                RawSQL(
                    "(compliance_event.txid, compliance_event.id) > (%s, %s)", (after.txid, after.id), BooleanField()
                )
            )
        qs = qs.order_by("txid", "id")
    else:
        qs = qs.filter(id__gt=after.id) if after is not None else qs
        qs = qs.order_by("id")
    rows = list(qs[: limit + 1])
    events, more = rows[:limit], len(rows) > limit
    if events:
        last = events[-1]
        after = Cursor(getattr(last, "txid", 0) or 0, last.pk)
    return events, after, more
