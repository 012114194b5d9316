"""Compliance API: verdicts (current and as of a date), the portfolio, certifications, and the Hybrid IT
services, support agreements and capabilities partner admins record and staff verify."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core import clock
from core.api import AS_OF, as_of_param, int_param
from partners import access
from partners import selectors as partner_selectors

from . import evidence_selectors, selectors
from .filters import (
    CertificationFilterSet,
    HybridITServiceFilterSet,
    PortfolioFilterSet,
    SupportAgreementFilterSet,
    SupportCapabilityFilterSet,
)
from .models import (
    CertificationTier,
    HybridITService,
    SupportAgreement,
    SupportCapability,
)
from .pagination import PortfolioPagination
from .serializers import (
    CertificationInputSerializer,
    CertificationSerializer,
    EvidenceFileSerializer,
    EvidenceUploadSerializer,
    HybridITServiceSerializer,
    PortfolioSerializer,
    SupportAgreementSerializer,
    SupportCapabilitySerializer,
    VerdictChangeSerializer,
    VerdictSerializer,
    input_serializer_for,
    stored_rows_data,
    stored_verdict_data,
    verdict_data,
)
from .services import certifications, records


def _verdicts(credentials, as_of) -> list:
    """Today's verdicts from the stored rows that still hold (see selectors.verdicts_stored_current), the rest
    (and any other day) computed live; the same answer either way, in a constant number of queries."""
    stored = selectors.verdicts_stored_current(credentials=credentials, on=as_of) if as_of == clock.today() else {}
    live = [c for c in credentials if selectors.key_of(c) not in stored]
    verdicts = selectors.credential_verdicts(credentials=live, as_of=as_of) if live else {}
    recorded = selectors.recorded_on(credentials=credentials, on=as_of)
    data = []
    for c in credentials:
        key = selectors.key_of(c)
        data.append(
            stored_verdict_data(c, stored[key], as_of, recorded.get(key))
            if key in stored
            else verdict_data(c, verdicts[key], recorded.get(key))
        )
    return VerdictSerializer(data, many=True).data


class VerdictViewSet(viewsets.GenericViewSet):
    """The verdict of every credential a partner holds, now or `?as_of=` a date (`?partner=` required). Today's are
    the stored verdicts while they hold, computed otherwise; the same answer either way."""

    serializer_class = VerdictSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[OpenApiParameter("partner", OpenApiTypes.INT, required=True), AS_OF],
        responses=VerdictSerializer(many=True),
    )
    def list(self, request, version=None):
        partner_id = int_param(request, "partner", required=True, min_value=1)
        as_of = as_of_param(request)
        if as_of == clock.today():  # every stored verdict of the partner still holds: one query, nothing computed
            rows = selectors.partner_verdicts_stored(user=request.user, partner_id=partner_id, on=as_of)
            if rows is not None:
                return Response(stored_rows_data(rows, as_of))
        partner = partner_selectors.partner_get(user=request.user, pk=partner_id)
        credentials = selectors.partner_credentials(user=request.user, partner=partner)
        return Response(_verdicts(credentials, as_of))


class PortfolioViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The portfolio: one row per credential with its stored verdict (same filters as the page), in portfolio order
    (partner, country, credential). Pages by number (`?page=`), or by cursor (`?cursor=`, then `next`/`previous`)
    to walk it all: a deep cursor page costs what the first does."""

    serializer_class = PortfolioSerializer
    filterset_class = PortfolioFilterSet
    pagination_class = PortfolioPagination
    search_fields = None
    ordering_fields = ["anniversary"]

    def get_queryset(self):
        return selectors.portfolio_rows(user=self.request.user)


class CertificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilterSet
    search_fields = None
    ordering_fields = ["anniversary"]

    def get_queryset(self):
        return selectors.certification_list(user=self.request.user)

    @extend_schema(request=CertificationInputSerializer, responses={201: CertificationSerializer})
    def create(self, request, *args, **kwargs):
        """Staff certify a partner in a country (or move it to another tier)."""
        access.require(request.user, "certification.grant")  # before reading the request
        data = CertificationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        partner = partner_selectors.partner_get(user=request.user, pk=v["partner"])
        territory = partner_selectors.territory_by_code(v["country"])
        tier = CertificationTier.objects.filter(name__iexact=v["tier"]).first()
        if territory is None or tier is None:
            raise ValidationError({k: ["Unknown."] for k, o in (("country", territory), ("tier", tier)) if o is None})
        cert = certifications.certification_grant(
            partner=partner,
            territory=territory,
            tier=tier,
            on=v["on"],
            anniversary=v.get("anniversary"),
            actor=request.user,
        )
        return Response(CertificationSerializer(cert).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AS_OF], responses=VerdictSerializer)
    @action(detail=True)
    def verdict(self, request, pk=None, version=None):
        """This certification's verdict (one object), now or as of a date."""
        return Response(_verdicts([self.get_object()], as_of_param(request))[0])

    @extend_schema(responses=VerdictChangeSerializer(many=True))
    @action(detail=True)
    def history(self, request, pk=None, version=None):
        """Every change of this certification's compliance status, newest first."""
        cert = self.get_object()
        rows = selectors.verdict_history(user=request.user, partner=cert.partner, credential=cert)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(VerdictChangeSerializer(page, many=True).data)


class PartnerRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Partner admins record, change and remove; program staff verify (POST .../verify/)."""

    model = None
    selector = None
    search_fields = None
    ordering_fields = ["id"]

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def _resolve(self, fields, partner=None):
        if partner is None:
            partner_id = fields.pop("partner", None) or getattr(
                access.profile_of(self.request.user), "partner_id", None
            )
            if partner_id is None:
                raise ValidationError({"partner": ["Say which partner."]})
            partner = partner_selectors.partner_get(user=self.request.user, pk=partner_id)
        else:
            fields.pop("partner", None)
        if "country" in fields:
            territory = partner_selectors.territory_by_code(fields.pop("country"))
            if territory is None:
                raise ValidationError({"country": ["Unknown country code."]})
            fields["territory"] = territory
        return partner, fields

    def create(self, request, *args, **kwargs):
        data = input_serializer_for(self.model)(data=request.data)
        data.is_valid(raise_exception=True)
        partner, fields = self._resolve(dict(data.validated_data))
        obj = records.partner_record_save(model=self.model, partner=partner, actor=request.user, **fields)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        data = input_serializer_for(self.model)(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        partner, fields = self._resolve(dict(data.validated_data), partner=obj.partner)
        obj = records.partner_record_save(model=self.model, partner=partner, instance=obj, actor=request.user, **fields)
        return Response(self.get_serializer(obj).data)

    def perform_destroy(self, instance):
        records.partner_record_delete(obj=instance, actor=self.request.user)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None, version=None):
        """Program staff confirm the record (dated today)."""
        obj = self.get_object()
        records.partner_record_verify(obj=obj, actor=request.user)
        return Response(self.get_serializer(obj).data)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceFileSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None, version=None):
        """Attach evidence documents (multipart/form-data, one or more `file` parts): PDF or images, judged by their
        content, at most EVIDENCE_MAX_BYTES each and EVIDENCE_MAX_FILES on a record. All or nothing; the record's
        verification stands. Each comes back with its `download` link."""
        obj = self.get_object()
        access.require(request.user, "record.save", partner=obj.partner)  # before reading the request
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        added = records.evidence_add(record=obj, files=data.validated_data["file"], actor=request.user)
        return Response(
            EvidenceFileSerializer(added, many=True, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class EvidenceFileViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Evidence documents of the records you can see (upload: POST .../{record id}/evidence/ on the record).
    DELETE removes one (refused, 400, once its record is verified)."""

    serializer_class = EvidenceFileSerializer
    filter_backends: list = []

    def get_queryset(self):
        return evidence_selectors.evidence_files(user=self.request.user)

    def perform_destroy(self, instance):
        records.evidence_remove(evidence=instance, actor=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True)
    def download(self, request, pk=None, version=None):
        """The document itself, as an attachment with its detected type (application/pdf, image/png, ...)."""
        return evidence_selectors.evidence_response(self.get_object())


def _record_viewset(model, serializer, filterset, selector):
    schema = extend_schema(request=input_serializer_for(model), responses=serializer)
    attrs = {
        "model": model,
        "serializer_class": serializer,
        "filterset_class": filterset,
        "selector": staticmethod(selector),
        "__doc__": PartnerRecordViewSet.__doc__,
    }
    cls = type(f"{model.__name__}ViewSet", (PartnerRecordViewSet,), attrs)

    # Decorate a new function per viewset: extend_schema on the shared base method would annotate that one
    # function object, and the last viewset built would set every viewset's request and response schema.
    def create(self, request, *args, **kwargs):
        return PartnerRecordViewSet.create(self, request, *args, **kwargs)

    def partial_update(self, request, *args, **kwargs):
        return PartnerRecordViewSet.partial_update(self, request, *args, **kwargs)

    cls.create = schema(create)
    cls.partial_update = schema(partial_update)
    return cls


HybridITServiceViewSet = _record_viewset(
    HybridITService, HybridITServiceSerializer, HybridITServiceFilterSet, selectors.hybrid_services
)
SupportAgreementViewSet = _record_viewset(
    SupportAgreement, SupportAgreementSerializer, SupportAgreementFilterSet, selectors.support_agreements
)
SupportCapabilityViewSet = _record_viewset(
    SupportCapability, SupportCapabilitySerializer, SupportCapabilityFilterSet, selectors.support_capabilities
)
