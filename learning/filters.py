"""One FilterSet per list, shared by the API and the HTML pages."""

import django_filters

from core.filters import BooleanFilter, IntegerFilter, PartnerFilter
from specializations import selectors as specialization_selectors

from .models import KnowledgeSession, LearningHow, LearningRecord
from .selectors import connected_sessions


class LearningRecordFilterSet(django_filters.FilterSet):
    partner = PartnerFilter(field_name="partner")
    individual = IntegerFilter(field_name="individual")
    testing_number = django_filters.CharFilter(field_name="individual__testing_number", lookup_expr="iexact")
    session = django_filters.CharFilter(field_name="session__code", lookup_expr="iexact", label="Session code")
    how = django_filters.ChoiceFilter(choices=LearningHow.choices, empty_label="How: any")
    occurred_after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label="From")
    occurred_before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label="To")
    client_record_id = django_filters.CharFilter()
    reversals = BooleanFilter(field_name="reversal_of", lookup_expr="isnull", exclude=True, label="Reversals only")

    class Meta:
        model = LearningRecord
        fields = [
            "partner",
            "individual",
            "testing_number",
            "session",
            "how",
            "occurred_after",
            "occurred_before",
            "client_record_id",
            "reversals",
        ]


class KnowledgeSessionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Search")
    specialization = IntegerFilter(method="connected_to", label="Connected to specialization (id)")
    architecture = IntegerFilter(field_name="architectures", distinct=True)
    focus_area = IntegerFilter(field_name="focus_area")
    points = IntegerFilter()
    via_assessment = BooleanFilter()
    is_active = BooleanFilter()

    class Meta:
        model = KnowledgeSession
        fields = ["q", "specialization", "architecture", "focus_area", "points", "via_assessment", "is_active"]

    def connected_to(self, queryset, name, value):

        spec = specialization_selectors.specialization_find(value)
        return queryset.filter(pk__in=connected_sessions(spec).values("pk")) if spec else queryset.none()
