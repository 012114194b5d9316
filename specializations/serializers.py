from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StatusLabelField
from core.status import LIFECYCLE

from .models import (
    Architecture,
    FocusArea,
    PartnerSpecialization,
    RoleAllocation,
    Specialization,
    SpecializationRole,
)


class FocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["id", "name"]


class ArchitectureSerializer(serializers.ModelSerializer):
    focus_areas = FocusAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Architecture
        fields = ["id", "name", "focus_areas"]


class SpecializationRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecializationRole
        fields = ["id", "name", "required_count"]


class SpecializationSerializer(serializers.ModelSerializer):
    architecture = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    roles = SpecializationRoleSerializer(many=True, read_only=True)

    class Meta:
        model = Specialization
        fields = ["id", "name", "kind", "architecture", "end_of_sale", "retired_on", "roles"]


class ForecastSerializer(serializers.Serializer):
    needed = serializers.IntegerField()
    days_left = serializers.IntegerField()
    weekly_pace_needed = serializers.FloatField(allow_null=True)
    recent_points = serializers.IntegerField()
    pace_days = serializers.IntegerField(allow_null=True)
    recent_weekly_pace = serializers.FloatField(allow_null=True)
    on_track = serializers.BooleanField()
    summary = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    """learning.rules.Progress: collected/required in the window of RULES 3.5 and the policy applied."""

    collected = serializers.IntegerField()
    required = serializers.IntegerField()
    met = serializers.BooleanField()
    display = serializers.CharField(help_text="collected/required, e.g. 15/20")
    window_start = serializers.DateField(allow_null=True, help_text="First day whose points count")
    window_end = serializers.DateField(help_text="The anniversary the points are for (last day counted)")
    counted_until = serializers.DateField()
    days_to_anniversary = serializers.IntegerField()
    policy = serializers.IntegerField(allow_null=True, help_text="Points policy row applied")
    policy_label = serializers.CharField()
    retired = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    forecast = ForecastSerializer()


class RoleAllocationSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="role.name")
    individual_name = serializers.CharField(source="individual.name")

    class Meta:
        model = RoleAllocation
        fields = ["id", "role", "individual", "individual_name"]


class PartnerSpecializationSerializer(serializers.ModelSerializer):
    specialization = SpecializationSerializer(read_only=True)
    territory = serializers.CharField(source="territory.code")
    allocations = RoleAllocationSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()
    status_label = StatusLabelField(LIFECYCLE, source="status")

    class Meta:
        model = PartnerSpecialization
        fields = [
            "id",
            "partner",
            "specialization",
            "territory",
            "status",
            "status_label",
            "certified_on",
            "anniversary",
            "last_renewed_on",
            "allocations",
            "progress",
        ]

    @extend_schema_field(ProgressSerializer(allow_null=True))  # None when the view computed no progress for it
    def get_progress(self, obj):
        progress = self.context.get("progress", {}).get(obj.pk)
        return ProgressSerializer(progress).data if progress else None


class PlanItemSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    title = serializers.CharField()
    points = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    individual_id = serializers.IntegerField(allow_null=True)
    individual = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    gap = serializers.IntegerField()
    points = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    closes_gap = serializers.BooleanField()
    items = PlanItemSerializer(many=True)


class OutlookSerializer(serializers.Serializer):
    progress = ProgressSerializer()
    timeline = serializers.SerializerMethodField()
    plan = PlanSerializer()

    def get_timeline(self, obj) -> list[dict]:
        return [{"date": day, "points": total} for day, total in obj.timeline]
