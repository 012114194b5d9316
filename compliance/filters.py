"""One FilterSet per list, shared by the API and the HTML pages."""

import django_filters
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES

from core.filters import BooleanFilter, CountryFilter, PartnerFilter, UpdatedAfterFilter
from core.models import CredentialStatus

from .models import (
    CredentialVerdict,
    HybridITService,
    PartnerCertification,
    SupportAgreement,
    SupportCapability,
)
from .selectors import PORTFOLIO_ORDER


class PortfolioOrderingFilter(django_filters.OrderingFilter):
    """A chosen sort, then the portfolio order: rows that tie keep one order, so pages neither repeat nor skip."""

    def filter(self, qs, value):
        chosen = [self.get_ordering_value(p) for p in value or () if p not in EMPTY_VALUES]
        return qs.order_by(*chosen, *PORTFOLIO_ORDER) if chosen else qs


class CertificationFilterSet(django_filters.FilterSet):
    partner = PartnerFilter(field_name="partner")
    status = django_filters.ChoiceFilter(choices=CredentialStatus.choices)
    updated_after = UpdatedAfterFilter()

    class Meta:
        model = PartnerCertification
        fields = ["partner", "status", "updated_after"]


class PortfolioFilterSet(django_filters.FilterSet):
    """The account manager's portfolio: one row per credential, from the stored verdicts."""

    updated_after = UpdatedAfterFilter(field_name="computed_at")  # a verdict is rewritten only when it changes
    q = django_filters.CharFilter(method="search", label="Partner")
    country = CountryFilter(field_name="territory")
    tier = django_filters.CharFilter(field_name="tier", lookup_expr="iexact", label="Tier")
    status = django_filters.ChoiceFilter(choices=CredentialStatus.choices, label="Status", empty_label="Status: any")
    compliant = BooleanFilter(label="Compliant")
    at_risk = BooleanFilter(label="At risk")
    kind = django_filters.ChoiceFilter(
        field_name="credential_type",
        label="Credential",
        empty_label="Credential: any",
        choices=[
            ("compliance.partnercertification", "Certification"),
            ("specializations.partnerspecialization", "Specialization"),
        ],
    )
    partner = PartnerFilter(field_name="partner")
    sort = PortfolioOrderingFilter(
        fields=[
            ("partner_name", "partner"),
            ("territory_name", "country"),
            ("name", "name"),
            ("anniversary", "anniversary"),
            ("status", "status"),
            ("csat_count", "csat"),
            ("compliant", "compliant"),
            ("at_risk", "at_risk"),
        ],
        label="Sort",
    )

    class Meta:
        model = CredentialVerdict
        fields = ["q", "country", "tier", "status", "compliant", "at_risk", "kind", "partner"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(partner_name__icontains=value) | Q(partner__vendor_partner_id__iexact=value))


class PartnerRecordFilterSet(django_filters.FilterSet):
    partner = PartnerFilter(field_name="partner")
    country = CountryFilter(field_name="territory")
    verified = BooleanFilter(field_name="verified_on", lookup_expr="isnull", exclude=True)


class HybridITServiceFilterSet(PartnerRecordFilterSet):
    class Meta:
        model = HybridITService
        fields = ["partner", "country", "verified", "kind"]


class SupportAgreementFilterSet(PartnerRecordFilterSet):
    class Meta:
        model = SupportAgreement
        fields = ["partner", "country", "verified", "kind"]


class SupportCapabilityFilterSet(PartnerRecordFilterSet):
    class Meta:
        model = SupportCapability
        fields = ["partner", "country", "verified", "code"]
