"""Template filters for sentences a person reads (core/words.py): `{% load words %}`."""

from __future__ import annotations

from django import template

from core import words
from core.event_kinds import kind_description, kind_topic

register = template.Library()


@register.filter
def sentences(items: list[str]) -> str:
    """A list of reasons as sentences: ["12 points collected.", "3 missing"] -> "12 points collected. 3 missing."."""
    return words.sentences([str(i) for i in items or []])


@register.filter
def signed(n: int | None) -> str:
    """A ledger amount with a real minus sign (−12)."""
    return "" if n is None else words.signed(int(n))


@register.filter
def event_kind(kind: str) -> str:
    """An event kind as a person reads it: "Renewal: A renewal was approved" (the code stays for machines)."""
    return f"{kind_topic(kind)}: {kind_description(kind)}"
