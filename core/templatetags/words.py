"""Template filters for sentences a person reads (core/words.py): `{% load words %}`."""

from __future__ import annotations

from django import template

from core import words

register = template.Library()


@register.filter
def sentences(items: list[str]) -> str:
    """A list of reasons as sentences: ["12 points collected.", "3 missing"] -> "12 points collected. 3 missing."."""
    return words.sentences([str(i) for i in items or []])


@register.filter
def signed(n: int | None) -> str:
    """A ledger amount with a real minus sign (−12)."""
    return "" if n is None else words.signed(int(n))
