"""Thin API views for CE credits: parse, call a service or selector, render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import AS_OF, SafeJSONParser, as_of_param, int_param
from partners import access
from partners import selectors as partner_selectors

from . import selectors, services
from .filters import (
    CeActivityFilterSet,
    CeClaimFilterSet,
    CertificationFilterSet,
    ExamFilterSet,
)
from .serializers import (
    CeActivitySerializer,
    CeCertificationInputSerializer,
    CeCertificationSerializer,
    CeClaimInputSerializer,
    CeClaimReviewSerializer,
    CeClaimSerializer,
    CeProgressSerializer,
    CeRenewalPathSerializer,
    ExamInputSerializer,
    ExamSerializer,
    RenewInputSerializer,
    RoleAtRiskSerializer,
)


def _individual_for(request, individual_id):
    """The individual a write is about: visible (else 404); the service refuses what the user may not do (403)."""
    user = request.user
    if individual_id is None:
        individual_id = getattr(access.profile_of(user), "individual_id", None)
        if individual_id is None:
            raise ValidationError({"individual": "Say which individual this is for."})
    return selectors.individual_get(user=user, pk=individual_id)


class CeActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """The CE activity catalogue (staff maintain it in the admin)."""

    serializer_class = CeActivitySerializer
    filterset_class = CeActivityFilterSet
    search_fields = None
    ordering_fields = ["title", "credits", "expires_on"]

    def get_queryset(self):
        return selectors.activity_list(user=self.request.user)


class CeRenewalPathViewSet(viewsets.ReadOnlyModelViewSet):
    """Renewal paths per level, effective-dated policy rows."""

    serializer_class = CeRenewalPathSerializer
    filterset_fields = ["level"]
    search_fields = None

    def get_queryset(self):
        return selectors.renewal_path_list(user=self.request.user)


class CertificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Individual certifications, each with its progress towards renewal as of `as_of`."""

    serializer_class = CeCertificationSerializer
    filterset_class = CertificationFilterSet
    search_fields = None
    ordering_fields = ["expires_on", "certified_on", "track"]

    def get_queryset(self):
        return selectors.certification_list(user=self.request.user)

    def _render(self, certs, many):
        progress = {
            v.certification.pk: v.progress for v in selectors.progress_for(certs, as_of=as_of_param(self.request))
        }
        context = {**self.get_serializer_context(), "progress": progress}
        return CeCertificationSerializer(certs if many else certs[0], many=many, context=context).data

    @extend_schema(parameters=[AS_OF])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._render(list(page), many=True))

    @extend_schema(parameters=[AS_OF])
    def retrieve(self, request, *args, **kwargs):
        return Response(self._render([self.get_object()], many=False))

    @extend_schema(request=CeCertificationInputSerializer, responses={201: CeCertificationSerializer})
    def create(self, request, *args, **kwargs):
        data = CeCertificationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        individual = _individual_for(request, fields.pop("individual"))
        cert = services.ce_certification_create(individual=individual, actor=request.user, **fields)
        cert = selectors.certification_get(user=request.user, pk=cert.pk)
        return Response(self._render([cert], many=False), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AS_OF], responses=CeProgressSerializer)
    @action(detail=True)
    def progress(self, request, pk=None, version=None):
        """Progress only: credits and exams in the period, every path (`45/80 CE`), the closest, days left."""
        cert = self.get_object()
        return Response(CeProgressSerializer(selectors.certification_progress(cert, as_of=as_of_param(request))).data)

    @extend_schema(request=RenewInputSerializer, responses=CeCertificationSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None, version=None):
        """Renew when a path is met: from the old expiry, or from the renewal date after a lapse."""
        cert = self.get_object()
        access.require(request.user, "ce.certification.renew", obj=cert.individual)  # before reading the request
        data = RenewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.ce_certification_renew(certification=cert, actor=request.user, **data.validated_data)
        return Response(self._render([selectors.certification_get(user=request.user, pk=cert.pk)], many=False))


class ExamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExamSerializer
    filterset_class = ExamFilterSet
    search_fields = None
    ordering_fields = ["passed_on"]

    def get_queryset(self):
        return selectors.exam_list(user=self.request.user)

    @extend_schema(request=ExamInputSerializer, responses={201: ExamSerializer})
    def create(self, request, *args, **kwargs):
        data = ExamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        individual = _individual_for(request, fields.pop("individual"))
        exam = services.ce_exam_record(individual=individual, actor=request.user, **fields)
        return Response(ExamSerializer(exam).data, status=status.HTTP_201_CREATED)


class CeClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """CE claims. Submit with multipart/form-data (the certificate PDF); staff review them."""

    serializer_class = CeClaimSerializer
    filterset_class = CeClaimFilterSet
    search_fields = None
    ordering_fields = ["submitted_at", "ended_on", "status"]
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user)

    @extend_schema(request={"multipart/form-data": CeClaimInputSerializer}, responses={201: CeClaimSerializer})
    def create(self, request, *args, **kwargs):
        """Submit a claim. Refused with field messages, and nothing stored, when anything is wrong."""
        data = CeClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        individual = _individual_for(request, fields.pop("individual", None))
        claim = services.ce_claim_submit(individual=individual, actor=request.user, **fields)
        return Response(
            CeClaimSerializer(claim, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=CeClaimReviewSerializer, responses=CeClaimSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None, version=None):
        """Staff: mark a pending claim Earned, or Rejected with a reason. The individual is notified once."""
        claim = self.get_object()
        access.require(request.user, "ce.claim.review")  # before reading the request
        data = CeClaimReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.ce_claim_review(claim=claim, actor=request.user, **data.validated_data)
        return Response(CeClaimSerializer(claim, context=self.get_serializer_context()).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True)
    def certificate(self, request, pk=None, version=None):
        """The completion certificate (PDF)."""
        claim = self.get_object()
        return selectors.certificate_response(claim)


class RolesAtRiskViewSet(viewsets.ViewSet):
    """Specialization roles whose individual's certification expires within the window."""

    @extend_schema(
        parameters=[
            OpenApiParameter("partner", int, required=True, description="Partner id"),
            OpenApiParameter("within_days", int, description="Window in days (default: the policy's, 90)"),
            AS_OF,
        ],
        responses=RoleAtRiskSerializer(many=True),
    )
    def list(self, request, version=None):
        partner_id = int_param(request, "partner", required=True, min_value=1)
        within = int_param(request, "within_days", max_value=36500)
        partner = partner_selectors.partner_get(user=request.user, pk=partner_id)
        rows = selectors.roles_at_risk(
            partner=partner, as_of=as_of_param(request), within_days=within, user=request.user
        )
        return Response(RoleAtRiskSerializer(rows, many=True).data)
