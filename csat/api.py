"""CSAT API: survey responses (staff record and import them), low-score follow-ups, measurement dates."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import SafeJSONParser, bulk_responses, bulk_status
from partners import access
from partners import selectors as partner_selectors

from . import selectors, services
from .filters import FollowUpFilterSet, ResponseFilterSet
from .serializers import (
    FollowUpInputSerializer,
    FollowUpSerializer,
    ImportInputSerializer,
    ImportResultSerializer,
    MeasurementDateInputSerializer,
    MeasurementDateSerializer,
    SurveyResponseInputSerializer,
    SurveyResponseSerializer,
    ValidityInputSerializer,
)


class SurveyResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SurveyResponseSerializer
    filterset_class = ResponseFilterSet
    search_fields = ["customer", "reference"]
    ordering_fields = ["received_on", "score", "customer"]
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.response_list(user=self.request.user)

    @extend_schema(request=SurveyResponseInputSerializer, responses={201: SurveyResponseSerializer})
    def create(self, request, *args, **kwargs):
        access.require(request.user, "csat.record")  # before reading the request
        data = SurveyResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        partner = partner_selectors.partner_get(user=request.user, pk=fields.pop("partner"))
        territory = partner_selectors.territory_by_code(fields.pop("country"))
        if territory is None:
            raise ValidationError({"country": ["Unknown country code."]})
        response = services.response_create(partner=partner, territory=territory, actor=request.user, **fields)
        return Response(SurveyResponseSerializer(response).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ValidityInputSerializer, responses=SurveyResponseSerializer)
    def partial_update(self, request, *args, **kwargs):
        response = self.get_object()
        access.require(request.user, "csat.record", partner=response.partner)  # before reading the request
        data = ValidityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.response_set_validity(response=response, valid=data.validated_data["valid"], actor=request.user)
        return Response(SurveyResponseSerializer(response).data)

    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses=bulk_responses(ImportResultSerializer, all_or_nothing_only=True),
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, version=None):
        """CSV import (dry run by default), all or nothing: a bad row saves nothing (400, the rows' errors by
        line); 201 when the rows were saved, 200 when a dry run found them all good."""
        access.require(request.user, "csat.import")  # before reading the request
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.responses_import(
            file=data.validated_data["file"], dry_run=data.validated_data["dry_run"], actor=request.user
        )
        body = ImportResultSerializer({**result.__dict__, "ok": result.ok}).data
        code = bulk_status(created=result.created, rejected=len(result.errors), all_or_nothing=True)
        return Response(body, status=code)


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    search_fields = None
    ordering_fields = ["recorded_on"]

    def get_queryset(self):
        return selectors.followup_list(user=self.request.user)

    @extend_schema(request=FollowUpInputSerializer, responses={201: FollowUpSerializer})
    def create(self, request, *args, **kwargs):
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        response = selectors.response_get(user=request.user, pk=fields.pop("response"))
        follow = services.followup_record(response=response, actor=request.user, **fields)
        return Response(FollowUpSerializer(follow).data, status=status.HTTP_201_CREATED)


class MeasurementDateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The published measurement dates, per fiscal year (staff move them)."""

    serializer_class = MeasurementDateSerializer
    filterset_fields = ["fiscal_year"]
    search_fields = None
    ordering_fields = ["date"]

    def get_queryset(self):
        return selectors.measurement_date_list()

    @extend_schema(request=MeasurementDateInputSerializer, responses=MeasurementDateSerializer)
    def partial_update(self, request, *args, **kwargs):
        md = self.get_object()
        access.require(request.user, "csat.measurement_date")  # before reading the request
        data = MeasurementDateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.measurement_date_update(measurement_date=md, on=data.validated_data["date"], actor=request.user)
        return Response(MeasurementDateSerializer(md).data)
