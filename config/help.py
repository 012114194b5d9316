"""The help page (`/help/`): the status words of core/status.py, each with its sentence, and the program's rules
with the figures in force today, read from the effective-dated policy rows of every app (never from code).

Wiring, not an app: it reads many apps' program data (through their selectors where they have one)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from certifications import selectors as ce_selectors
from certifications.models import Level
from compliance.rules import CSAT_KEYS
from core import clock, status
from core.selectors import policy_book
from csat.selectors import measurement_dates
from learning import rules as points_rules
from learning.selectors import policy_rows
from loyalty.models import LoyaltyPolicy
from renewals.credentials import policy_on
from specializations.models import SpecializationKind

CSAT_FIGURES = [*CSAT_KEYS, "compliance.at_risk_days"]


def points_figures(today: date) -> list[dict]:
    """The points policy that a renewal due today would meet, per specialization kind."""
    rows = policy_rows()
    found = []
    for kind in SpecializationKind:
        row = points_rules.policy_for(rows, kind.value, today)
        if row is not None:
            found.append({"kind": kind.label, "row": row})
    return found


def csat_figures(today: date) -> dict | None:
    book = policy_book()
    figures = {key.split(".", 1)[1]: book.get(key, today) for key in CSAT_FIGURES}
    if figures["recert_responses"] is None:
        return None
    figures["next_dates"] = [d for d in measurement_dates() if d >= today][:2]
    return figures


def ce_figures(today: date, user) -> dict | None:
    try:
        policy = ce_selectors.policy_for(today)
    except ValidationError:
        return None
    paths = list(ce_selectors.renewal_path_list(user=user))
    levels = [
        {"level": level.label, "paths": [p.label for p in ce_selectors.path_rows(paths, level=level.value, on=today)]}
        for level in Level
    ]
    return {"policy": policy, "levels": [lv for lv in levels if lv["paths"]]}


@login_required
def help_page(request):
    today = clock.today()
    return render(
        request,
        "help.html",
        {
            "today": today,
            "kinds": [(status.KIND_TITLES[kind], list(states.values())) for kind, states in status.STATES.items()],
            "points": points_figures(today),
            "csat": csat_figures(today),
            "renewal": policy_on(today),
            "ce": ce_figures(today, request.user),
            "loyalty": LoyaltyPolicy.objects.in_force(today),
        },
    )
