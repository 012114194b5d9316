"""The event log: every service writes one row in the same transaction as its change.

Event kinds are `<noun>.<verb in the past>` in lower case with underscores (e.g. `renewal.approved`);
`core.event_kinds.KINDS` lists them all.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction

from . import clock
from .bulk import copy_upsert
from .event_kinds import check_kind
from .models import Event
from .selectors import existing_event_keys

COLUMNS = ("partner_id", "individual_id", "kind", "summary", "payload", "occurred_at", "actor_id", "dedupe_key")


def event_record(
    *,
    kind: str,
    summary: str,
    partner: Any = None,
    partner_id: int | None = None,
    individual: Any = None,
    dedupe_key: str | None = None,
    payload: dict | None = None,
    actor: Any = None,
    occurred_at: datetime | None = None,
) -> tuple[Event, bool]:
    """Record an event. Returns (event, created).

    `individual`: the one person the event is about (her certification, exam, claim, employment or role),
    so that only she and whoever manages her partner see it (partners.access.events_visible).

    With a `dedupe_key` the event happens once: a repeated key returns the first event (created False),
    also when another transaction records the same key at the same time. Without one, every call records.
    """
    check_kind(kind)
    fields = {
        "kind": kind,
        "summary": summary[:300],
        "dedupe_key": dedupe_key or None,
        "payload": payload or {},
        "actor": actor if getattr(actor, "pk", None) else None,
        "occurred_at": occurred_at or clock.now(),
    }
    if individual is not None:
        fields["individual"] = individual
    if partner is not None:
        fields["partner"] = partner
    elif partner_id is not None:
        fields["partner_id"] = partner_id
    if not dedupe_key:
        return Event.objects.create(**fields), True
    with transaction.atomic():
        existing = Event.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing, False
        try:
            with transaction.atomic():
                return Event.objects.create(**fields), True
        except IntegrityError:
            # Another transaction recorded the same key concurrently.
            existing = Event.objects.filter(dedupe_key=dedupe_key).first()
            if existing is None:
                raise
            return existing, False


def events_record_many(events: list[Event]) -> list[Event]:
    """Record many unsaved events at once, skipping those whose dedupe_key already exists (or repeats in the list).

    Returns the events created (with pks). On PostgreSQL the keyed ones go through one COPY and
    `INSERT ... ON CONFLICT (dedupe_key) DO NOTHING`, which settles races with concurrent writers. Elsewhere one
    bulk INSERT after a check of the keys; should a concurrent writer record one of the same keys between the
    check and the insert, it falls back to event_record one by one.
    """
    for e in events:
        check_kind(e.kind)
    keyed = {e.dedupe_key: e for e in events if e.dedupe_key}
    plain = [e for e in events if not e.dedupe_key]
    if connection.vendor == "postgresql":
        rows = [{name: getattr(e, name) for name in COLUMNS} for e in keyed.values()]
        with transaction.atomic() if keyed and plain else nullcontext():
            made = dict(copy_upsert(Event, rows, conflict=["dedupe_key"], returning=["dedupe_key", "id"]))
            for key, e in keyed.items():
                if key in made:
                    e.pk, e._state.adding = made[key], False
            return [e for key, e in keyed.items() if key in made] + Event.objects.bulk_create(plain, batch_size=2000)
    existing = existing_event_keys(keyed)
    fresh = [e for key, e in keyed.items() if key not in existing] + plain
    try:
        with transaction.atomic():
            return Event.objects.bulk_create(fresh, batch_size=2000)
    except IntegrityError:
        created = []
        for e in fresh:
            event, made_one = event_record(
                kind=e.kind,
                summary=e.summary,
                dedupe_key=e.dedupe_key,
                partner_id=e.partner_id,
                individual=e.individual if e.individual_id else None,
                payload=e.payload,
                actor=e.actor,
                occurred_at=e.occurred_at,
            )
            if made_one:
                created.append(event)
        return created
