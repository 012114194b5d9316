"""Token login for scripts and CRM clients: POST username and password, get a hashed, expiring token.

Wrong credentials are a 400 with `non_field_errors`, as DRF's own obtain-token view answers; an account locked
out after repeated failures (django-axes) is a 429 with `detail` and `Retry-After` (`lockout_response`)."""

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import permissions, serializers

from integrations.throttling import AddressRateThrottle
from partners import access
from partners.auth import TokenAuthentication


class CredentialsSerializer(serializers.Serializer):
    # Bounded like the user model (150): a longer name is a 400 before the lockout records the attempt.
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


LOCKED_OUT = "Too many failed logins: this account is locked for an hour. Try again later or reset your password."


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: Any) -> HttpResponse:
    """What a locked-out login answers (settings.AXES_LOCKOUT_CALLABLE): 429 with `Retry-After`; the API's JSON
    `{"detail": ...}` like its other errors, the login page's HTML page."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": LOCKED_OUT}, status=429)
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class TokenLoginView(KnoxLoginView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "login"

    @extend_schema(
        request=CredentialsSerializer,
        responses=inline_serializer(
            "TokenResponse", {"expiry": serializers.DateTimeField(), "token": serializers.CharField()}
        ),
        summary="Exchange a username and password for an API token",
        description=(
            "A wrong username or password (or an inactive account, or one without a role) is a 400 with "
            "`non_field_errors`. After 5 failed attempts the username is locked for an hour from that address: "
            "429 with `detail` and `Retry-After`, whatever the password."
        ),
    )
    def post(self, request, format=None, version=None):
        creds = CredentialsSerializer(data=request.data)
        creds.is_valid(raise_exception=True)
        user = authenticate(request._request, **creds.validated_data)
        if user is None or not user.is_active or access.role_of(user) is None:  # no role: no token
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with the provided credentials."]}, code="authorization"
            )
        request._request.user = user
        request.user = user
        return super().post(request, format=format)

    def get_user_serializer_class(self):
        return None


class TokenLogoutView(KnoxLogoutView):
    authentication_classes = [TokenAuthentication]  # the portal's (knox's, refusing users without a role)

    def get_throttles(self):  # revoking a token: per address too
        return [*super().get_throttles(), AddressRateThrottle()]

    @extend_schema(request=None, responses={204: None}, summary="Revoke the token used for this request")
    def post(self, request, format=None, version=None):
        return super().post(request, format=format)
