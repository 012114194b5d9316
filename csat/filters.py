"""One FilterSet per list, shared by the API and the HTML pages."""

import django_filters
from django.db.models import Q

from core import clock
from core.filters import BooleanFilter, CountryFilter, PartnerFilter
from core.selectors import policy_book

from .models import FollowUp, SurveyResponse


class ResponseFilterSet(django_filters.FilterSet):
    partner = PartnerFilter(field_name="partner")
    country = CountryFilter(field_name="territory")
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")
    low = BooleanFilter(method="filter_low", label="Low score")
    needs_follow_up = BooleanFilter(method="filter_needs_follow_up", label="Low score without follow-up")
    valid = BooleanFilter()

    class Meta:
        model = SurveyResponse
        fields = ["partner", "country", "received_from", "received_to", "low", "needs_follow_up", "valid"]

    def _low_q(self):

        return Q(score__isnull=False, score__lte=policy_book().value("csat.low_score_max", clock.today()))

    def filter_low(self, queryset, name, value):
        return queryset.filter(self._low_q()) if value else queryset.exclude(self._low_q())

    def filter_needs_follow_up(self, queryset, name, value):
        pending = self._low_q() & Q(follow_up__isnull=True)
        return queryset.filter(pending) if value else queryset.exclude(pending)


class FollowUpFilterSet(django_filters.FilterSet):
    partner = PartnerFilter(field_name="response__partner")

    class Meta:
        model = FollowUp
        fields = ["partner"]
