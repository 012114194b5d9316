"""One filter per list, shared by the API and the HTML pages."""

import django_filters
from django import forms
from django.db.models import Q

from core.filters import INT_BOUND, PartnerFilter, UpdatedAfterFilter
from core.models import CredentialStatus, Notice

from .models import NonComplianceIncident, RenewalApplication


class RenewalApplicationFilterSet(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    partner = PartnerFilter(field_name="partner")

    class Meta:
        model = RenewalApplication
        fields = ["status", "partner"]


class IncidentFilterSet(django_filters.FilterSet):
    partner = PartnerFilter(field_name="partner")
    state = django_filters.ChoiceFilter(
        method="by_state",
        label="State",
        choices=[("open", "Open"), ("flagged", "Flagged for revocation"), ("closed", "Closed")],
    )

    class Meta:
        model = NonComplianceIncident
        fields = ["state", "partner"]

    def by_state(self, queryset, name, value):
        return queryset.filter(
            {
                "open": Q(closed_on__isnull=True),
                "flagged": Q(closed_on__isnull=True, flagged_for_revocation_on__isnull=False),
                "closed": Q(closed_on__isnull=False),
            }[value]
        )


class NoticeFilterSet(django_filters.FilterSet):
    partner = PartnerFilter(field_name="event__partner")
    kind = django_filters.CharFilter(field_name="event__kind")

    class Meta:
        model = Notice
        fields = ["status", "partner", "kind"]


class RenewalsDueFilter(forms.Form):
    """The "renewals due" list spans every credential model, so it filters with a plain form."""

    days = forms.IntegerField(
        min_value=1, max_value=366, required=False, initial=90, help_text="Anniversaries within this many days"
    )
    partner = forms.IntegerField(required=False, min_value=1, max_value=INT_BOUND)
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Approved or Re-Cert"),
            (CredentialStatus.APPROVED, "Approved"),
            (CredentialStatus.RECERT, "Re-Cert"),
        ],
    )

    def params(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"days": data.get("days") or 90, "partner_id": data.get("partner"), "status": data.get("status") or None}
