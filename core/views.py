"""Small helpers shared by the HTML views of every app."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest

from . import clock
from .dates import parse_as_of


def as_of_from(request: HttpRequest) -> date:
    """`?as_of=YYYY-MM-DD` on a page; today when absent, and today with a message on the page when it is
    not a date or outside core.dates.AS_OF_MIN..AS_OF_MAX."""
    raw = request.GET.get("as_of", "")
    if not raw:
        return clock.today()
    try:
        return parse_as_of(raw)
    except ValueError as exc:
        today = clock.today()
        shown = raw if len(raw) <= 40 else f"{raw[:40]}…"
        messages.error(
            request, f"The date “{shown}” could not be read. {exc} Showing today, {today:%Y-%m-%d}, instead."
        )
        return today


def paginate(request: HttpRequest, queryset: Any, per_page: int = 25) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def apply_validation_error(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
