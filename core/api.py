"""API plumbing shared by every app: the exception handler and small helpers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework import status as http
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import clock, status
from .dates import AS_OF_HELP, parse_as_of
from .filters import INT_BOUND

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description=f"Judge on this date (default today). {AS_OF_HELP}")


class StatusLabelField(serializers.CharField):
    """The words (core.status) of a stable status code, next to the code itself: `status` stays the code a client
    matches on, `status_label` is what a person reads on the pages, in the CSV and in the emails."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("read_only", True)
        codes = ", ".join(f"{value} = {text}" for value, text in status.choices(kind))
        kwargs.setdefault("help_text", f"The {status.KIND_TITLES[kind].lower()} in words ({codes}); see /help/.")
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return status.label(self.kind, value)


def as_of_param(request: Request) -> date:
    """`?as_of=YYYY-MM-DD`, today when absent; a malformed or out-of-range date is a 400 naming the field."""
    raw = request.query_params.get("as_of")
    if not raw:
        return clock.today()
    try:
        return parse_as_of(raw)
    except ValueError as exc:
        raise exceptions.ValidationError({"as_of": [str(exc)]}) from None


def int_param(
    request: Request, name: str, *, required: bool = False, min_value: int = 0, max_value: int = INT_BOUND
) -> int | None:
    """`?name=N` as a whole number in [min_value, max_value]; None when absent and not required; else a 400
    naming the parameter."""
    raw = request.query_params.get(name, "").strip()
    if not raw and not required:
        return None
    message = f"Give a whole number between {min_value} and {max_value}."
    try:
        value = int(raw) if len(raw) <= 20 else None
    except ValueError:
        value = None
    if value is None or not min_value <= value <= max_value:
        raise exceptions.ValidationError({name: [message]})
    return value


def bulk_status(*, created: int, rejected: int, all_or_nothing: bool) -> int:
    """The status of every bulk write (many records in one request), from its counts: 400 when a record is
    rejected and the batch is all or nothing (nothing saved); 207 Multi-Status when some records were rejected and
    the others taken (saved, or checked by a dry run); 201 when every record was accepted and something was
    added; 200 when every record was accepted and nothing added (all duplicates, or a dry run)."""
    if rejected:
        return http.HTTP_400_BAD_REQUEST if all_or_nothing else http.HTTP_207_MULTI_STATUS
    return http.HTTP_201_CREATED if created else http.HTTP_200_OK


def bulk_responses(result: Any, *, all_or_nothing_only: bool = False) -> dict[int, OpenApiResponse]:
    """The OpenAPI answers of a bulk write whose body is `result` whatever the status (see bulk_status)."""
    responses = {
        201: OpenApiResponse(result, description="Every record accepted, and something was added"),
        200: OpenApiResponse(result, description="Every record accepted, nothing added (duplicates, or a dry run)"),
        400: OpenApiResponse(
            result, description="A record was rejected and the batch is all or nothing: nothing was saved"
        ),
    }
    if not all_or_nothing_only:
        responses[207] = OpenApiResponse(
            result, description="Some records rejected (listed with their errors); the others were taken"
        )
    return responses


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, but a body nested too deeply for Python's parser (RecursionError) or otherwise
    undecodable is a 400 like any other malformed JSON, never a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except (RecursionError, ValueError) as exc:
            raise exceptions.ParseError(
                "JSON parse error: the body is not valid JSON or is nested too deeply."
            ) from exc


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
