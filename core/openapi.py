"""The OpenAPI document's error answers, documented in one place for every operation (the schema class
in REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): what `core.api.exception_handler` and DRF answer, by the
shape of the operation, unless the operation documents that status itself."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Not signed in, not allowed, not found (or not yours), throttled: one message."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """Bad input: messages per field (unknown fields included), `non_field_errors` for the whole
    request, or `detail` when the body cannot be parsed at all. Nested input nests its messages."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False)
    # Every other key is a field of the request (or a query parameter) with its list of messages.


ERRORS = {
    "400": OpenApiResponse(ValidationErrorSerializer, description="Bad input; nothing was saved"),
    "401": OpenApiResponse(ErrorSerializer, description="No valid token or session"),
    "403": OpenApiResponse(ErrorSerializer, description="Signed in, but not allowed to do this"),
    "404": OpenApiResponse(ErrorSerializer, description="No such object, or not visible to you (or no such page)"),
    "429": OpenApiResponse(ErrorSerializer, description="Too many requests; retry later"),
}


class PortalAutoSchema(AutoSchema):
    """Adds the error answers an operation can give: 400 when it writes or takes a body or query parameters, 401
    when it authenticates, 403 when it checks permissions, 404 when its path, body or query can name an object
    (another partner's is a 404 too) or a page, 429 when it is throttled."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        params = operation.get("parameters", [])
        codes = []
        if self.method != "GET" or "requestBody" in operation or any(p["in"] == "query" for p in params):
            codes.append("400")  # a write can be refused by its service (already acknowledged, ...)
        if self.view.get_authenticators():
            codes.append("401")
        codes.append("403")  # permissions, including the anonymous endpoint's refused login
        if params or "requestBody" in operation:
            codes.append(
                "404"
            )  # an object named in the path, the body or the query that is not yours; a page past the end
        if self.view.get_throttles():
            codes.append("429")
        responses = operation["responses"]
        for code in codes:
            documented = self._get_response_for_code(ERRORS[code], code)
            if code == "400":
                # A ValidationError raised with a message rather than a dict (DRF's search filter on a null
                # character) is a bare list of messages.
                schema = documented["content"]["application/json"]
                schema["schema"] = {"anyOf": [schema["schema"], {"type": "array", "items": {"type": "string"}}]}
            if code not in responses:
                responses[code] = documented
            elif code == "400":  # the operation's own 400 body, or the messages above
                error = documented["content"]["application/json"]["schema"]
                for media in responses[code].get("content", {}).values():
                    media["schema"] = {"anyOf": [media["schema"], *error["anyOf"]]}
        return operation
