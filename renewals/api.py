"""Thin API views: parse, call the renewal services and selectors, render."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core import clock

from . import selectors
from .filters import (
    IncidentFilterSet,
    NoticeFilterSet,
    RenewalApplicationFilterSet,
    RenewalsDueFilter,
)
from .serializers import (
    DecisionSerializer,
    DueSerializer,
    ExtensionSerializer,
    IncidentSerializer,
    NoticeSerializer,
    RenewalApplicationSerializer,
    RenewalSubmitSerializer,
    RenewalViewSerializer,
)
from .services import applications, incidents


class RenewalApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Renewal applications: submit (refused with the unmet requirements unless all are met), approve, reject."""

    serializer_class = RenewalApplicationSerializer
    filterset_class = RenewalApplicationFilterSet
    search_fields = None
    ordering_fields = ["submitted_at", "cycle_anniversary"]

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    @extend_schema(request=RenewalSubmitSerializer, responses={201: RenewalApplicationSerializer})
    def create(self, request, *args, **kwargs):
        data = RenewalSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            credential = selectors.credential_get(
                user=request.user, kind=data.validated_data["kind"], pk=data.validated_data["credential"]
            )
        except Http404:
            raise ValidationError({"credential": ["No such credential."]}) from None
        application = applications.renewal_submit(credential=credential, actor=request.user)
        return Response(
            self.get_serializer(selectors.application_get(user=request.user, pk=application.pk)).data, status=201
        )

    @extend_schema(request=DecisionSerializer, responses=RenewalApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, version=None):
        return self._decide(applications.renewal_approve)

    @extend_schema(request=DecisionSerializer, responses=RenewalApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, version=None):
        return self._decide(applications.renewal_reject)

    def _decide(self, service):
        application = self.get_object()
        data = DecisionSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        service(application=application, actor=self.request.user, note=data.validated_data["note"])
        return Response(self.get_serializer(selectors.application_get(user=self.request.user, pk=application.pk)).data)


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Non-compliance incidents with their deadlines: acknowledge, extend, confirm revocation."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    search_fields = None
    ordering_fields = ["opened_on", "acknowledge_by"]

    def get_queryset(self):
        return selectors.incident_list(user=self.request.user)

    def _render(self, incident):
        return Response(self.get_serializer(selectors.incident_get(user=self.request.user, pk=incident.pk)).data)

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None, version=None):
        return self._render(incidents.incident_acknowledge(incident=self.get_object(), actor=request.user))

    @extend_schema(request=ExtensionSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None, version=None):
        incident = self.get_object()
        data = ExtensionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._render(incidents.incident_extend(incident=incident, actor=request.user, **data.validated_data))

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None, version=None):
        return self._render(incidents.revocation_confirm(incident=self.get_object(), actor=request.user))


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The notices sent (or queued) to partners; filter with ?partner=<id>."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    search_fields = None
    ordering_fields = ["created_at", "sent_at"]

    def get_queryset(self):
        return selectors.notice_list(user=self.request.user)


class RenewalsDueView(APIView):
    """Active credentials whose anniversary falls within `days` (default 90), soonest first."""

    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        parameters=[OpenApiParameter("days", int), OpenApiParameter("partner", int), OpenApiParameter("status", str)],
        responses=DueSerializer(many=True),
    )
    def get(self, request, version=None):
        form = RenewalsDueFilter(request.query_params)
        if request.query_params and not form.is_valid():
            raise ValidationError(form.errors)
        rows = selectors.renewals_due(user=request.user, as_of=clock.today(), **form.params())
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(DueSerializer(page, many=True).data)


class CredentialRenewalView(APIView):
    """The renewal page of one credential: dates, requirements, whether it can be submitted, history."""

    @extend_schema(responses=RenewalViewSerializer)
    def get(self, request, kind, pk, version=None):
        credential = selectors.credential_get(user=request.user, kind=kind, pk=pk)
        view = selectors.renewal_view(user=request.user, credential=credential, as_of=clock.today())
        return Response(RenewalViewSerializer(view).data)
