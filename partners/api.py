"""Thin API views: parse, call a service or selector, render."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from . import access, selectors, services
from .filters import IndividualFilterSet, PartnerFilterSet
from .models import Partner
from .serializers import (
    EventSerializer,
    IndividualInputSerializer,
    IndividualSerializer,
    IndividualUpdateSerializer,
    PartnerInputSerializer,
    PartnerSerializer,
    TerritorySerializer,
)


class TerritoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Countries and country groupings (read-only; staff edit them in the admin)."""

    serializer_class = TerritorySerializer
    search_fields = ["code", "name"]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.territory_list()


class PartnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    search_fields = None
    ordering_fields = ["legal_name", "vendor_partner_id", "created_at"]

    def get_queryset(self):
        return selectors.partner_list(user=self.request.user)

    @extend_schema(request=PartnerInputSerializer, responses={201: PartnerSerializer})
    def create(self, request, *args, **kwargs):
        access.require(request.user, "partner.create")  # before reading the request
        data = PartnerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        territories = services.territory_resolve(fields.pop("territories", []))
        partner = services.partner_create(**fields, territories=territories, actor=request.user)
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PartnerInputSerializer(partial=True), responses=PartnerSerializer)
    def partial_update(self, request, *args, **kwargs):
        partner = self.get_object()
        access.require(request.user, "partner.update", partner=partner)  # before reading the request
        data = PartnerInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        territories = services.territory_resolve(fields.pop("territories")) if "territories" in fields else None
        partner = services.partner_update(partner=partner, territories=territories, actor=request.user, **fields)
        return Response(PartnerSerializer(partner).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True)
    def timeline(self, request, pk=None, version=None):
        """The partner's audit timeline, newest first."""
        partner = self.get_object()
        page = self.paginate_queryset(list(selectors.partner_timeline(user=request.user, partner=partner)))
        return self.get_paginated_response(EventSerializer(page, many=True).data)


class IndividualViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = IndividualSerializer
    filterset_class = IndividualFilterSet
    search_fields = None
    ordering_fields = ["last_name", "testing_number"]

    def get_queryset(self):
        return selectors.individual_list(user=self.request.user)

    def _partner_of(self, partner_id):
        user = self.request.user
        if partner_id is None:
            profile = access.profile_of(user)
            partner_id = getattr(profile, "partner_id", None)
            if partner_id is None:
                raise PermissionDenied("Say which partner the individual works for.")
        return get_object_or_404(Partner.objects.visible_to(user), pk=partner_id)

    @extend_schema(request=IndividualInputSerializer, responses={201: IndividualSerializer})
    def create(self, request, *args, **kwargs):
        data = IndividualInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        partner = self._partner_of(fields.pop("partner", None))
        individual = services.individual_create(**fields, partner=partner, actor=request.user)
        return Response(
            IndividualSerializer(selectors.individual_get(user=request.user, pk=individual.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=IndividualUpdateSerializer, responses=IndividualSerializer)
    def partial_update(self, request, *args, **kwargs):
        individual = self.get_object()
        access.require(request.user, "individual.update", obj=individual)  # before reading the request
        data = IndividualUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.individual_update(individual=individual, actor=request.user, **data.validated_data)
        return Response(IndividualSerializer(selectors.individual_get(user=request.user, pk=individual.pk)).data)
