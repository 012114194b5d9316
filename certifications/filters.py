"""One FilterSet per CE list, shared by the API and the HTML pages."""

from datetime import timedelta

import django_filters
from django.db.models import Q

from core import clock
from core.filters import IntegerFilter, PartnerFilter, UpdatedAfterFilter, partner_q
from partners import selectors as partner_selectors

from .models import CeActivity, CeClaim, ExamPass, IndividualCertification, Level


def _current_people_of(partner):
    """The people working today for the partner given as an id or a name (core.filters.PartnerFilter)."""
    return partner_selectors.current_member_ids(partner=partner_q(partner), as_of=clock.today())


class CeActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Search")
    activity_type = django_filters.ChoiceFilter(choices=CeActivity.Type.choices, label="Type", empty_label="Type: any")
    available_on = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="gte", label="Still earning credits on"
    )

    class Meta:
        model = CeActivity
        fields = ["q", "activity_type", "available_on"]


class CertificationFilterSet(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    individual = IntegerFilter()
    partner = PartnerFilter(method="by_partner", label="Partner (id or name; its current people)")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    track = django_filters.CharFilter(lookup_expr="icontains")
    expiring_within = IntegerFilter(
        method="by_expiry", label="Expires within N days (from today)", min_value=0, max_value=36500
    )

    class Meta:
        model = IndividualCertification
        fields = ["individual", "partner", "level", "track", "expiring_within"]

    def by_partner(self, queryset, name, value):
        return queryset.filter(individual__in=_current_people_of(value))

    def by_expiry(self, queryset, name, value):
        today = clock.today()
        return queryset.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=int(value)))


class ExamFilterSet(django_filters.FilterSet):
    individual = IntegerFilter()
    kind = django_filters.CharFilter()

    class Meta:
        model = ExamPass
        fields = ["individual", "kind"]


class CeClaimFilterSet(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=CeClaim.Status.choices)
    individual = IntegerFilter()
    partner = PartnerFilter(method="by_partner", label="Partner (id or name; its current people)")
    activity_type = django_filters.ChoiceFilter(
        field_name="activity__activity_type", choices=CeActivity.Type.choices, label="Activity type"
    )
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label="Submitted from"
    )
    submitted_to = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte", label="Submitted to")

    class Meta:
        model = CeClaim
        fields = ["q", "status", "individual", "partner", "activity_type", "submitted_from", "submitted_to"]

    def by_partner(self, queryset, name, value):
        return queryset.filter(individual__in=_current_people_of(value))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(course_name__icontains=value)
            | Q(activity__title__icontains=value)
            | Q(validation_code__iexact=value)
            | Q(individual__last_name__icontains=value)
            | Q(individual__first_name__icontains=value)
            | Q(individual__testing_number__iexact=value)
        )
