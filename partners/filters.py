"""One FilterSet per list, shared by the API and the HTML pages."""

import django_filters
from django.db.models import Q

from core.filters import BooleanFilter, CountryFilter, PartnerFilter, UpdatedAfterFilter, partner_q

from . import access
from .models import Association, Individual, Partner


class PartnerFilterSet(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    q = django_filters.CharFilter(method="search", label="Search")
    territory = CountryFilter(field_name="territories", distinct=True)
    is_registered = BooleanFilter()

    class Meta:
        model = Partner
        fields = ["q", "territory", "is_registered"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(legal_name__icontains=value) | Q(vendor_partner_id__icontains=value))


class IndividualFilterSet(django_filters.FilterSet):
    """Filters never match what the reader may not see: another partner's association with a former employee,
    or a former employee's contact details (partners.access.contact_visible_individuals)."""

    updated_after = UpdatedAfterFilter()
    q = django_filters.CharFilter(method="search", label="Search")
    partner = PartnerFilter(method="by_partner")
    testing_number = django_filters.CharFilter(method="by_testing_number")

    class Meta:
        model = Individual
        fields = ["q", "partner", "testing_number"]

    @property
    def _user(self):
        return getattr(self.request, "user", None)

    def _contact(self):
        return Q(pk__in=access.contact_visible_individuals(self._user))

    def search(self, queryset, name, value):
        contact = Q(email__icontains=value) | Q(testing_number__iexact=value)
        return queryset.filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value) | (contact & self._contact())
        )

    def by_partner(self, queryset, name, value):
        return queryset.filter(
            pk__in=Association.objects.visible_to(self._user).filter(partner_q(value)).values("individual")
        )

    def by_testing_number(self, queryset, name, value):
        return queryset.filter(self._contact(), testing_number=value)
