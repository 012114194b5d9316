"""Webhooks API: endpoints (staff: the program's or any partner's; a partner admin: her partner's), their
deliveries with every attempt, send again, send a test event, rotate the secret."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partners import access
from partners import selectors as partner_selectors

from . import selectors, services
from .serializers import (
    DeliverySerializer,
    EndpointInputSerializer,
    EndpointSerializer,
    EndpointUpdateSerializer,
    EndpointWithSecretSerializer,
    SecretSerializer,
)


class EndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EndpointSerializer
    filterset_fields = ["enabled", "partner"]
    search_fields = ["url", "description"]
    ordering_fields = ["created_at", "url"]

    def get_queryset(self):
        return selectors.endpoint_list(user=self.request.user)

    @extend_schema(request=EndpointInputSerializer, responses={201: EndpointWithSecretSerializer})
    def create(self, request, *args, **kwargs):
        data = EndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        pk = fields.pop("partner")
        partner = (
            partner_selectors.partner_get(user=request.user, pk=pk) if pk else selectors.own_partner(user=request.user)
        )
        endpoint, secret = services.endpoint_create(partner=partner, actor=request.user, **fields)
        return Response({**EndpointSerializer(endpoint).data, "secret": secret}, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndpointUpdateSerializer, responses=EndpointSerializer)
    def partial_update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        access.require(request.user, "webhook.manage", partner=endpoint.partner)  # before reading the request
        data = EndpointUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.endpoint_update(endpoint=endpoint, actor=request.user, **data.validated_data)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses=SecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None, version=None):
        """A new secret, shown once; the old one keeps signing (and so verifying) for 24 hours."""
        endpoint = self.get_object()
        secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
        expires = endpoint.previous_secret_expires_at
        return Response(SecretSerializer({"secret": secret, "previous_secret_expires_at": expires}).data)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"], url_path="test")
    def send_test(self, request, pk=None, version=None):
        """Send a test event (type `webhook.test`) now."""
        endpoint = self.get_object()
        delivery = services.endpoint_send_test(endpoint=endpoint, actor=request.user)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deliveries, newest first, each with its attempts (time, status code, duration, first 1 KB of the answer)."""

    serializer_class = DeliverySerializer
    filterset_fields = ["endpoint", "status", "kind"]
    search_fields = None
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.delivery_list(user=self.request.user)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None, version=None):
        """Send again now, with the same webhook-id."""
        delivery = self.get_object()
        delivery = services.delivery_resend(delivery=delivery, actor=request.user)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
