"""Reads for customer satisfaction, scoped to the asking user."""
from django.shortcuts import get_object_or_404

from .models import FollowUp, MeasurementDate, SurveyResponse


def response_list(*, user, partner=None):
    qs = SurveyResponse.objects.visible_to(user).select_related("partner", "territory", "follow_up")
    return qs.filter(partner=partner) if partner is not None else qs


def response_get(*, user, pk) -> SurveyResponse:
    return get_object_or_404(response_list(user=user), pk=pk)


def followup_list(*, user, partner=None):
    qs = FollowUp.objects.visible_to(user).select_related("response", "response__partner", "recorded_by")
    return qs.filter(response__partner=partner) if partner is not None else qs


def measurement_date_list():
    return MeasurementDate.objects.order_by("date")
