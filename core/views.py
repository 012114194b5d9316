"""Small helpers shared by the HTML views of every app."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest

from . import clock


def as_of_from(request: HttpRequest) -> date:
    """`?as_of=YYYY-MM-DD` on a page; today when absent or not a date."""
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return clock.today()


def paginate(request: HttpRequest, queryset: Any, per_page: int = 25) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def apply_validation_error(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
