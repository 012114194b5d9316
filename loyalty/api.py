"""Thin API views for the loyalty program."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import clock

from . import selectors
from .filters import AccountFilterSet, RedemptionFilterSet
from .models import CustomerAccount
from .serializers import (
    AccountSerializer,
    LedgerEntrySerializer,
    LotSerializer,
    PlacementSerializer,
    RedemptionInputSerializer,
    RedemptionSerializer,
)
from .services import accounts, redemptions

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Send the same key when retrying: the first result is returned and credits are spent once. "
    "The same key with a different body is a 409.",
)


class LoyaltyAccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Customer accounts with their tier, balance and credits expiring soon."""

    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    search_fields = None
    ordering_fields = ["name", "balance", "expiring_soon"]

    def get_queryset(self):
        return selectors.account_list(user=self.request.user, as_of=clock.today())

    @extend_schema(responses=LotSerializer(many=True))
    @action(detail=True, pagination_class=None)  # a plain list, as documented
    def lots(self, request, pk=None, version=None):
        """The account's credit lots with what is left of each, the first to expire first."""
        account = self.get_object()
        return Response(
            LotSerializer(selectors.lot_list(user=request.user, account=account, as_of=clock.today()), many=True).data
        )

    @extend_schema(responses=LedgerEntrySerializer(many=True))
    @action(detail=True)
    def ledger(self, request, pk=None, version=None):
        """The account's ledger, newest first."""
        account = self.get_object()
        page = self.paginate_queryset(selectors.ledger_list(user=request.user, account=account))
        return self.get_paginated_response(LedgerEntrySerializer(page, many=True).data)

    @extend_schema(responses=PlacementSerializer(many=True))
    @action(detail=True, pagination_class=None)  # a plain list, as documented
    def placements(self, request, pk=None, version=None):
        """The tier placements by fiscal year, with the reasons."""
        account = self.get_object()
        return Response(
            PlacementSerializer(selectors.placement_list(user=request.user, account=account), many=True).data
        )

    @extend_schema(request=None, responses=AccountSerializer)
    @action(detail=True, methods=["post"], url_path="accept-terms")
    def accept_terms(self, request, pk=None, version=None):
        """The Team Captain accepts the loyalty and credit terms (together)."""
        account = self.get_object()
        accounts.terms_accept(account=account, actor=request.user)
        return Response(
            AccountSerializer(selectors.account_get(user=request.user, pk=account.pk, as_of=clock.today())).data
        )


class RedemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RedemptionSerializer
    filterset_class = RedemptionFilterSet
    search_fields = None
    ordering_fields = ["ordered_on", "amount"]

    def get_queryset(self):
        return selectors.redemption_list(user=self.request.user).prefetch_related("allocations")

    @extend_schema(
        request=RedemptionInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: RedemptionSerializer, 200: RedemptionSerializer, 409: None},
    )
    def create(self, request, *args, **kwargs):
        """Redeem credits (FIFO by expiry). 201 when spent now, 200 when the idempotency key was already used."""
        data = RedemptionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        account = get_object_or_404(CustomerAccount.objects.visible_to(request.user), pk=fields.pop("account"))
        key = request.headers.get("Idempotency-Key", "").strip()[:100]
        try:
            redemption, created = redemptions.redemption_create(
                account=account, actor=request.user, idempotency_key=key, **fields
            )
        except redemptions.IdempotencyConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        redemption = selectors.redemption_list(user=request.user).prefetch_related("allocations").get(pk=redemption.pk)
        return Response(
            RedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
