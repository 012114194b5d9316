"""API plumbing shared by every app: the exception handler and small helpers."""
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def as_drf_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers 400 with field messages."""
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_validation_error(exc)
    return drf_exception_handler(exc, context)


class StrictSerializerMixin:
    """Reject fields the endpoint does not know, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = set(data.keys()) - set(self.fields)
            if unknown:
                raise exceptions.ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
        return super().to_internal_value(data)
