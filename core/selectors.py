"""Reads of core's tables for the apps: program figures, the event log, notices."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Event, Notice, PendingRecompute, Policy
from .policy import PolicyBook, PolicyRow


def policy_book() -> PolicyBook:
    """Every program figure (RULES: figures are data), ready to answer `value(key, on)`."""
    return PolicyBook(PolicyRow(*row) for row in Policy.objects.values_list("key", "effective_from", "value"))


def events() -> QuerySet[Event]:
    """The event log, newest first (scope it with partners.access before showing it to a person)."""
    return Event.objects.all()


def notices() -> QuerySet[Notice]:
    """Notices, newest first (scope it with partners.access before showing it to a person)."""
    return Notice.objects.all()


def existing_event_keys(keys: Iterable[str]) -> set[str]:
    """Which of these dedupe keys have been recorded already."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), 5000):
        batch = Event.objects.filter(dedupe_key__in=keys[start : start + 5000]).values_list("dedupe_key", flat=True)
        found.update(key for key in batch if key is not None)
    return found


def event_keys_starting(prefix: str) -> list[str]:
    keys = Event.objects.filter(dedupe_key__startswith=prefix).values_list("dedupe_key", flat=True)
    return [key for key in keys if key is not None]


def recompute_pending_partners() -> QuerySet:
    """The ids of the partners waiting for a compliance recompute (lazy: usable as a subquery)."""
    return PendingRecompute.objects.values("partner_id")
