"""Token login for scripts and CRM clients: POST username and password, get a hashed, expiring token."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import permissions, serializers
from rest_framework.exceptions import AuthenticationFailed

from integrations.throttling import AddressRateThrottle
from partners import access
from partners.auth import TokenAuthentication


class CredentialsSerializer(serializers.Serializer):
    # Bounded like the user model (150): a longer name is a 400 before the lockout records the attempt.
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


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
    )
    def post(self, request, format=None, version=None):
        creds = CredentialsSerializer(data=request.data)
        creds.is_valid(raise_exception=True)
        user = authenticate(request._request, **creds.validated_data)
        if user is None or not user.is_active or access.role_of(user) is None:  # no role: no token
            raise AuthenticationFailed("Unable to log in with the provided credentials.")
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
