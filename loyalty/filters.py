"""One FilterSet per list, shared by the API and the HTML pages."""

import django_filters
from django.db.models import Q

from core.filters import BooleanFilter, IntegerFilter, UpdatedAfterFilter

from .models import CustomerAccount, Redemption


class AccountFilterSet(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    q = django_filters.CharFilter(method="search", label="Search")
    tier = django_filters.CharFilter(field_name="tier_name", lookup_expr="iexact", label="Tier")
    expiring = BooleanFilter(method="filter_expiring", label="Credits expiring soon")
    accepted = BooleanFilter(field_name="terms_accepted_at", lookup_expr="isnull", exclude=True, label="Terms accepted")

    class Meta:
        model = CustomerAccount
        fields = ["q", "tier", "expiring", "accepted"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(customer_number__icontains=value))

    def filter_expiring(self, queryset, name, value):
        return queryset.filter(expiring_soon__gt=0) if value else queryset.filter(expiring_soon=0)


class RedemptionFilterSet(django_filters.FilterSet):
    account = IntegerFilter()
    kind = django_filters.ChoiceFilter(choices=Redemption.KIND_CHOICES)
    status = django_filters.CharFilter()

    class Meta:
        model = Redemption
        fields = ["account", "kind", "status"]
