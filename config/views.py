"""Small helpers shared by the HTML views of every app."""
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
