"""Small helpers shared by the HTML views of every app."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

from . import clock


def as_of_from(request) -> date:
    """`?as_of=YYYY-MM-DD` on a page; today when absent or not a date."""
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return clock.today()


def paginate(request, queryset, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
