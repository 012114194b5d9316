"""API plumbing shared by every app: the exception handler and small helpers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import clock

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="Judge on this date, YYYY-MM-DD (default today)")


def as_of_param(request: Request) -> date:
    """`?as_of=YYYY-MM-DD`, today when absent; a malformed date is a 400 naming the field."""
    raw = request.query_params.get("as_of")
    if not raw:
        return clock.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError({"as_of": ["Give a date as YYYY-MM-DD, e.g. 2025-07-31."]}) from None


def as_drf_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Services raise Django's ValidationError (the API answers 400 with field messages) and
    PermissionDenied (403, with the service's message)."""
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_validation_error(exc)
    elif isinstance(exc, DjangoPermissionDenied) and str(exc):
        exc = exceptions.PermissionDenied(str(exc))
    return drf_exception_handler(exc, context)


if TYPE_CHECKING:  # the mixin is only ever mixed into a Serializer; say so to mypy
    _Serializer = serializers.Serializer[Any]
else:
    _Serializer = object


class StrictSerializerMixin(_Serializer):
    """Reject fields the endpoint does not know, instead of silently ignoring them."""

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            unknown = set(data.keys()) - set(self.fields)
            if unknown:
                raise exceptions.ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
        return super().to_internal_value(data)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: a path under /api/ that names no route (`/api/v1/partners/1.5/`) answers like every other
    API 404, `{"detail": ...}` in JSON, as the OpenAPI document says; pages get the HTML 404."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
