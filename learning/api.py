"""Thin API views for knowledge sessions, the points policy and the learning ledger."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api import AS_OF, as_of_param, bulk_responses, bulk_status
from partners import access
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors
from specializations.filters import PartnerSpecializationFilterSet
from specializations.serializers import (
    OutlookSerializer,
    PartnerSpecializationSerializer,
)

from . import selectors, services
from .filters import KnowledgeSessionFilterSet, LearningRecordFilterSet
from .models import PointsPolicy
from .serializers import (
    BulkInputDocSerializer,
    BulkInputSerializer,
    BulkResultSerializer,
    KnowledgeSessionSerializer,
    LearningRecordSerializer,
    PointsPolicySerializer,
    ReverseInputSerializer,
)


class KnowledgeSessionViewSet(viewsets.ReadOnlyModelViewSet):
    """The knowledge-session catalogue (read-only)."""

    serializer_class = KnowledgeSessionSerializer
    filterset_class = KnowledgeSessionFilterSet
    search_fields = None
    ordering_fields = ["title", "points", "duration_hours", "code"]

    def get_queryset(self):
        return selectors.session_list()


class PointsPolicyViewSet(viewsets.ReadOnlyModelViewSet):
    """Required points per specialization kind, effective-dated by anniversary (read-only; staff edit in admin)."""

    serializer_class = PointsPolicySerializer
    search_fields = None
    filterset_fields = ["kind"]

    def get_queryset(self):
        return PointsPolicy.objects.order_by("kind", "effective_from")


OUTCOMES = OpenApiParameter(
    "outcomes",
    str,
    enum=["attention", "all"],
    description="`attention` (default): list only the rejected records and the duplicates; `all`: every record",
)


def _outcome(o: services.Outcome) -> dict:
    return {
        "index": o.index,
        "line": o.line,
        "client_record_id": o.client_record_id,
        "status": o.status,
        "errors": o.errors,
        "record_id": o.record_id,
        "note": o.note,
    }


def bulk_response(result: services.ImportResult, *, status_code: int, every: bool = False) -> Response:
    """Counts and the records that need attention; every record's outcome with `every`."""
    body = {
        "dry_run": result.dry_run,
        "saved": result.saved,
        "received": len(result.outcomes),
        "created": result.count("created"),
        "new": result.count("new"),
        "duplicates": result.count("duplicate"),
        "rejected": result.count("error"),
        "attention": [_outcome(o) for o in result.attention],
    }
    if every:
        body["outcomes"] = [_outcome(o) for o in result.outcomes]
    return Response(body, status=status_code)


class LearningRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The points ledger: list and filter entries, record them in bulk, reverse one with a reason."""

    serializer_class = LearningRecordSerializer
    filterset_class = LearningRecordFilterSet
    search_fields = None
    ordering_fields = ["occurred_on", "id", "recorded_at"]

    def get_queryset(self):
        return selectors.learning_record_list(user=self.request.user)

    @extend_schema(
        request=BulkInputDocSerializer,
        parameters=[OUTCOMES],
        responses=bulk_responses(BulkResultSerializer),
        description=(
            "Record up to 10,000 entries in one request, idempotent on `client_record_id`: "
            "a known id is reported as `duplicate` and adds nothing. Each record is "
            "shaped like LearningRecordInput. The answer counts the records received, created, "
            "duplicate and rejected, and lists only those that need attention (rejected, with "
            "their errors, and duplicates, with the entry they repeat); `?outcomes=all` lists "
            "every record's outcome. Status: 201 when every record was accepted and something added; 200 when "
            "every record was accepted and nothing added (all duplicates, or `dry_run`); 207 when some records "
            "were rejected and the others taken (saved, or checked by `dry_run`); 400 when a record was rejected "
            "and `all_or_nothing` is set (nothing saved), or the request itself is malformed. "
            "`dry_run` checks and saves nothing."
        ),
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request, version=None):
        every = request.query_params.get("outcomes", "attention")
        if every not in ("attention", "all"):
            raise ValidationError({"outcomes": ["Give `attention` or `all`."]})
        data = BulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        partner_id = fields.get("partner") or getattr(access.profile_of(request.user), "partner_id", None)
        if partner_id is None:
            raise PermissionDenied("Say which partner the records are for.")
        partner = partner_selectors.partner_get(user=request.user, pk=partner_id)
        result = services.learning_records_import(
            partner=partner,
            records=fields["records"],
            actor=request.user,
            source="api",
            dry_run=fields["dry_run"],
            all_or_nothing=fields["all_or_nothing"],
        )
        code = bulk_status(
            created=result.count("created"), rejected=result.count("error"), all_or_nothing=fields["all_or_nothing"]
        )
        return bulk_response(result, status_code=code, every=every == "all")

    @extend_schema(request=ReverseInputSerializer, responses={201: LearningRecordSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None, version=None):
        """Reverse an entry with a reason: a new entry cancels it; nothing is deleted."""
        record = self.get_object()
        access.require(request.user, "learning.record", partner=record.partner)  # before reading the request
        data = ReverseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.learning_record_reverse(
            record=record, reason=data.validated_data["reason"], actor=request.user
        )
        return Response(
            LearningRecordSerializer(selectors.learning_record_get(user=request.user, pk=reversal.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class PartnerSpecializationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Specializations partners hold, each with its Continuous Learning progress (`?as_of=`)."""

    serializer_class = PartnerSpecializationSerializer
    filterset_class = PartnerSpecializationFilterSet
    search_fields = None
    ordering_fields = ["anniversary", "id"]

    def get_queryset(self):
        return specialization_selectors.partner_specialization_list(user=self.request.user)

    @extend_schema(parameters=[AS_OF])
    def list(self, request, *args, **kwargs):
        as_of = as_of_param(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        progress = selectors.points_progress(partner_specializations=page, as_of=as_of)
        return self.get_paginated_response(
            PartnerSpecializationSerializer(page, many=True, context={"progress": progress}).data
        )

    @extend_schema(parameters=[AS_OF])
    def retrieve(self, request, *args, **kwargs):
        ps = self.get_object()
        progress = selectors.points_progress(partner_specializations=[ps], as_of=as_of_param(request))
        return Response(PartnerSpecializationSerializer(ps, context={"progress": progress}).data)

    @extend_schema(parameters=[AS_OF], responses=OutlookSerializer)
    @action(detail=True)
    def outlook(self, request, pk=None, version=None):
        """Progress, points over time, and the connected sessions that close the gap with the fewest hours."""
        ps = self.get_object()
        return Response(OutlookSerializer(selectors.specialization_outlook(ps=ps, as_of=as_of_param(request))).data)
