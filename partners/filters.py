"""One FilterSet per list, shared by the API and the HTML pages."""

import django_filters
from django.db.models import Q

from core.filters import BooleanFilter, IntegerFilter

from .models import Individual, Partner


class PartnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    territory = django_filters.CharFilter(
        field_name="territories__code", lookup_expr="iexact", label="Country code", distinct=True
    )
    is_registered = BooleanFilter()

    class Meta:
        model = Partner
        fields = ["q", "territory", "is_registered"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(legal_name__icontains=value) | Q(vendor_partner_id__icontains=value))


class IndividualFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    partner = IntegerFilter(field_name="associations__partner", distinct=True)
    testing_number = django_filters.CharFilter()

    class Meta:
        model = Individual
        fields = ["q", "partner", "testing_number"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
            | Q(testing_number__iexact=value)
        )
