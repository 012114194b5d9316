"""Thin API views for the catalogue (the holdings with their points are in learning/api.py)."""

from rest_framework import viewsets

from . import selectors
from .serializers import (
    ArchitectureSerializer,
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
