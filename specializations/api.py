"""Thin API views for the catalogue and the specializations partners hold (with their points progress)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import AS_OF, as_of_param
from learning.selectors import points_progress, specialization_outlook

from . import selectors
from .filters import PartnerSpecializationFilterSet
from .serializers import (
    ArchitectureSerializer,
    OutlookSerializer,
    PartnerSpecializationSerializer,
    SpecializationSerializer,
)


class ArchitectureViewSet(viewsets.ReadOnlyModelViewSet):
    """Architectures and their focus areas (read-only)."""

    serializer_class = ArchitectureSerializer
    search_fields = ["name"]

    def get_queryset(self):
        return selectors.architecture_list()


class SpecializationViewSet(viewsets.ReadOnlyModelViewSet):
    """The specialization catalogue with the roles each needs (read-only)."""

    serializer_class = SpecializationSerializer
    search_fields = ["name"]
    filterset_fields = ["kind", "architecture"]

    def get_queryset(self):
        return selectors.specialization_list()


class PartnerSpecializationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Specializations partners hold, each with its Continuous Learning progress (`?as_of=`)."""

    serializer_class = PartnerSpecializationSerializer
    filterset_class = PartnerSpecializationFilterSet
    search_fields = None
    ordering_fields = ["anniversary", "id"]

    def get_queryset(self):
        return selectors.partner_specialization_list(user=self.request.user)

    @extend_schema(parameters=[AS_OF])
    def list(self, request, *args, **kwargs):
        as_of = as_of_param(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        progress = points_progress(partner_specializations=page, as_of=as_of)
        return self.get_paginated_response(
            PartnerSpecializationSerializer(page, many=True, context={"progress": progress}).data)

    @extend_schema(parameters=[AS_OF])
    def retrieve(self, request, *args, **kwargs):
        ps = self.get_object()
        progress = points_progress(partner_specializations=[ps], as_of=as_of_param(request))
        return Response(PartnerSpecializationSerializer(ps, context={"progress": progress}).data)

    @extend_schema(parameters=[AS_OF], responses=OutlookSerializer)
    @action(detail=True)
    def outlook(self, request, pk=None, version=None):
        """Progress, points over time, and the connected sessions that close the gap with the fewest hours."""
        ps = self.get_object()
        return Response(OutlookSerializer(specialization_outlook(ps=ps, as_of=as_of_param(request))).data)
