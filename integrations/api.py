"""Thin API views: the event feed and integrations (list, create with the token shown once, revoke)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import clock
from core.api import int_param
from core.event_kinds import KINDS
from core.filters import InstantField
from partners import access
from partners import selectors as partner_selectors

from . import selectors, services
from .selectors import FEED_PAGE, FEED_PAGE_MAX, Cursor
from .serializers import (
    EventFeedSerializer,
    IntegrationCreatedSerializer,
    IntegrationInputSerializer,
    IntegrationSerializer,
)
from .throttling import AddressRateThrottle

FEED_PARAMETERS = [
    OpenApiParameter("after", str, description="Resume after this cursor (the `cursor` of the last page read)"),
    OpenApiParameter("partner", int, description="Only this partner's events"),
    OpenApiParameter("kind", str, many=True, enum=list(KINDS), description="Only these kinds (repeat the parameter)"),
    OpenApiParameter("occurred_after", OpenApiTypes.DATETIME, description="Only events that occurred after this"),
    OpenApiParameter("limit", int, description=f"Events per page, 1 to {FEED_PAGE_MAX} (default {FEED_PAGE})"),
]


def _instant_param(request: Request, name: str) -> datetime | None:
    try:
        return InstantField(required=False).clean(request.query_params.get(name))
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({name: exc.messages}) from None


class EventFeedView(APIView):
    """Every event you may see, oldest first, in the order they were committed."""

    @extend_schema(parameters=FEED_PARAMETERS, responses=EventFeedSerializer, summary="Read the event feed")
    def get(self, request: Request, version: str | None = None) -> Response:
        """Page through with `after=<cursor>`: a cursor never skips nor repeats an event, also while events are
        being written. An empty page keeps the cursor you gave: store it and ask again later."""
        after = request.query_params.get("after") or None
        try:
            cursor = Cursor.decode(after) if after else None
        except ValueError as exc:
            raise exceptions.ValidationError({"after": [str(exc)]}) from None
        kinds = request.query_params.getlist("kind")
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise exceptions.ValidationError(
                {"kind": [f"Unknown kind {k!r}: see core/event_kinds.py." for k in unknown]}
            )
        events, cursor, more = selectors.event_feed(
            user=request.user,
            after=cursor,
            partner=int_param(request, "partner", min_value=1),
            kinds=kinds,
            occurred_after=_instant_param(request, "occurred_after"),
            limit=int_param(request, "limit", min_value=1, max_value=FEED_PAGE_MAX) or FEED_PAGE,
        )
        body = {"results": events, "cursor": cursor.encode() if cursor else None, "has_more": more}
        return Response(EventFeedSerializer(body, context={"request": request}).data)


class IntegrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A CRM's service accounts: staff manage every one, a partner admin her partner's."""

    serializer_class = IntegrationSerializer
    search_fields = None
    ordering_fields = ["name", "created_at", "last_used_at"]
    filterset_fields: list[str] = []

    def get_queryset(self):
        return selectors.integration_list(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": clock.now()}

    def get_throttles(self):
        if self.action in ("create", "revoke"):  # issuing and revoking tokens: per address too
            return [*super().get_throttles(), AddressRateThrottle()]
        return super().get_throttles()

    @extend_schema(request=IntegrationInputSerializer, responses={201: IntegrationCreatedSerializer})
    def create(self, request, *args, **kwargs):
        owner_partner = (
            access.profile_of(request.user).partner if access.role_of(request.user) == access.PARTNER_ADMIN else None
        )
        access.require(request.user, "integration.manage", partner=owner_partner)  # before reading the request
        data = IntegrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        partners = [
            partner_selectors.partner_get(user=request.user, pk=pk) for pk in dict.fromkeys(fields.pop("partners", []))
        ]
        integration, token = services.integration_create(actor=request.user, partners=partners, **fields)
        body = IntegrationCreatedSerializer(integration, context=self.get_serializer_context()).data
        return Response({**body, "token": token}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=IntegrationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None, version=None):
        """Revoke the integration's token: it stops working at once."""
        integration = services.integration_revoke(integration=self.get_object(), actor=request.user)
        return Response(IntegrationSerializer(integration, context=self.get_serializer_context()).data)
