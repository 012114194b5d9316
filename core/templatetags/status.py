"""Status badges from the one status language (core/status.py): `{% load status %}`.

- `{% status_badge "lifecycle" credential.status %}`: the label, coloured by its tone, with the state's sentence
  as a tooltip and a link to its explanation on the help page.
- `{% status_badge "compliance" value text %}`: the same with another text (e.g. "Compliance: At risk").
- `{% requirement_badge r %}`: one requirement (a RequirementResult or its stored dict): "Met",
  "Not met yet: 39 points by 2027-02-15", "Missed" (the page shows what is missing beside it).
- `{% individual_badge progress window %}`: a person's certification (Active, "Expires soon: 12 days left",
  Lapsed) from its CE progress and the policy's expiring window in days.
- `{{ r|requirement_text }}`, `{{ value|status_label:"compliance" }}`: the words alone.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from core import status
from core.words import plural

register = template.Library()


def badge(kind: str, value: str, text: str = "") -> str:
    found = status.state(kind, value)
    title = f"{status.KIND_TITLES.get(kind, kind)}: {found.label}. {found.sentence}".strip()
    return format_html(
        '<a class="badge {}" href="{}#{}" title="{}" data-status="{}">{}</a>',
        found.tone,
        reverse("help"),
        found.anchor,
        title,
        found.anchor,
        text or found.label,
    )


@register.simple_tag
def status_badge(kind: str, value: str, text: str = "") -> str:
    return badge(kind, value, text)


@register.simple_tag
def requirement_badge(requirement: Any) -> str:
    """The shortfall with time left is in the badge ("Not met yet: 39 points by 2027-02-15"); what a missed one
    lacks is a sentence the page shows beside it."""
    value = status.requirement_value(requirement)
    text = status.requirement_text(requirement) if value == status.NOT_MET_YET else ""
    return badge(status.REQUIREMENT, value, text)


@register.simple_tag
def individual_badge(progress: Any, window: int) -> str:
    value = status.individual_value(status=progress.status, days_left=progress.days_left, window=window)
    text = (
        f"{status.label(status.INDIVIDUAL, value)}: {plural(progress.days_left, 'day')} left"
        if value == status.EXPIRING
        else ""
    )
    return badge(status.INDIVIDUAL, value, text)


@register.filter
def requirement_text(requirement: Any) -> str:
    return status.requirement_text(requirement)


@register.filter
def status_label(value: str, kind: str) -> str:
    return status.label(kind, value)
