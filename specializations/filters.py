"""One FilterSet per list, shared by the API and the HTML pages."""

import django_filters

from core.filters import CountryFilter, IntegerFilter, PartnerFilter, UpdatedAfterFilter
from core.models import CredentialStatus

from .models import PartnerSpecialization, SpecializationKind


class PartnerSpecializationFilterSet(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    partner = PartnerFilter(field_name="partner")
    specialization = IntegerFilter(field_name="specialization")
    kind = django_filters.ChoiceFilter(field_name="specialization__kind", choices=SpecializationKind.choices)
    status = django_filters.ChoiceFilter(choices=CredentialStatus.choices)
    territory = CountryFilter(field_name="territory")
    anniversary_before = django_filters.DateFilter(field_name="anniversary", lookup_expr="lte")

    class Meta:
        model = PartnerSpecialization
        fields = ["partner", "specialization", "kind", "status", "territory", "anniversary_before"]
