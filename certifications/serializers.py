from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api import StatusLabelField, StrictSerializerMixin
from core.status import CLAIM, INDIVIDUAL

from .models import (
    CeActivity,
    CeClaim,
    CeRenewalPath,
    CertificationPeriod,
    ExamKind,
    ExamPass,
    IndividualCertification,
    Level,
)


class CeActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = CeActivity
        fields = ["id", "title", "activity_type", "credits", "cost", "currency", "expires_on"]


class CeRenewalPathSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = CeRenewalPath
        fields = ["id", "level", "ce_credits", "exam_kind", "exam_count", "label", "effective_from", "effective_to"]


class CePathProgressSerializer(serializers.Serializer):
    path = serializers.IntegerField(source="path.pk")
    label = serializers.CharField(source="path.label")
    text = serializers.CharField(help_text='e.g. "45/80 CE" or "40/40 CE + 0/1 professional exam"')
    credits = serializers.IntegerField()
    exams = serializers.IntegerField()
    met = serializers.BooleanField()
    missing = serializers.CharField()


class CeProgressSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    status = serializers.CharField(help_text="active, lapsed or not_yet")
    status_label = StatusLabelField(INDIVIDUAL, source="status")
    period_starts_on = serializers.DateField(source="period.starts_on", allow_null=True, default=None)
    expires_on = serializers.DateField(source="period.expires_on", allow_null=True, default=None)
    days_left = serializers.IntegerField(allow_null=True, help_text="Negative once lapsed")
    credits = serializers.IntegerField(help_text="Earned CE credits counted in the period")
    exams = serializers.DictField(child=serializers.IntegerField(), help_text="Exams passed in the period, by kind")
    paths = CePathProgressSerializer(many=True)
    closest = CePathProgressSerializer(allow_null=True)
    renewable = serializers.BooleanField()
    summary = serializers.CharField()


class CertificationPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = CertificationPeriod
        fields = ["starts_on", "expires_on", "renewed_on", "renewal_path"]


class CeCertificationSerializer(serializers.ModelSerializer):
    individual_name = serializers.CharField(source="individual.name", read_only=True)
    periods = CertificationPeriodSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = IndividualCertification
        fields = [
            "id",
            "individual",
            "individual_name",
            "track",
            "level",
            "certified_on",
            "period_starts_on",
            "expires_on",
            "periods",
            "progress",
        ]

    @extend_schema_field(CeProgressSerializer(allow_null=True))  # None when the view computed no progress for it
    def get_progress(self, obj):
        progress = self.context.get("progress", {}).get(obj.pk)
        return CeProgressSerializer(progress).data if progress else None


class CeCertificationInputSerializer(StrictSerializerMixin, serializers.Serializer):
    individual = serializers.IntegerField()
    track = serializers.CharField(max_length=100)
    level = serializers.ChoiceField(choices=Level.choices)
    certified_on = serializers.DateField()


class RenewInputSerializer(StrictSerializerMixin, serializers.Serializer):
    renewed_on = serializers.DateField(required=False, help_text="Defaults to today")


class ExamSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExamPass
        fields = ["id", "individual", "kind", "exam_code", "passed_on"]


class ExamInputSerializer(StrictSerializerMixin, serializers.Serializer):
    individual = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ExamKind.choices)
    exam_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    passed_on = serializers.DateField()


class CeClaimSerializer(serializers.ModelSerializer):
    individual_name = serializers.CharField(source="individual.name", read_only=True)
    title = serializers.CharField(read_only=True, help_text="The activity's title, or the course name")
    certificate = serializers.SerializerMethodField()
    status_label = StatusLabelField(CLAIM, source="status")

    class Meta:
        model = CeClaim
        fields = [
            "id",
            "individual",
            "individual_name",
            "activity",
            "course_name",
            "title",
            "started_on",
            "ended_on",
            "validation_code",
            "credits",
            "status",
            "status_label",
            "rejection_reason",
            "submitted_at",
            "reviewed_at",
            "earned_on",
            "certificate",
        ]

    def get_certificate(self, obj) -> str:
        request = self.context.get("request")
        return reverse("v1:ce-claim-certificate", kwargs={"pk": obj.pk}, request=request)


class CeClaimInputSerializer(StrictSerializerMixin, serializers.Serializer):
    individual = serializers.IntegerField(required=False, help_text="Defaults to your own individual")
    activity = serializers.PrimaryKeyRelatedField(queryset=CeActivity.objects.all(), required=False, allow_null=True)
    course_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    credits = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Only for a course that is not in the catalogue"
    )
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    validation_code = serializers.CharField(max_length=60)
    attended_in_full = serializers.BooleanField(default=False, help_text="Attended for its full duration (required)")
    certificate = serializers.FileField(help_text="The completion certificate, a PDF of at most 10 MB")


class CeClaimReviewSerializer(StrictSerializerMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=[CeClaim.Status.EARNED, CeClaim.Status.REJECTED])
    reason = serializers.CharField(required=False, allow_blank=True)
    credits = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Credits granted, when they differ from those claimed"
    )


class RoleAtRiskSerializer(serializers.Serializer):
    allocation = serializers.IntegerField(source="allocation.pk")
    partner_specialization = serializers.IntegerField(source="allocation.partner_specialization_id")
    specialization = serializers.CharField(source="allocation.partner_specialization.specialization.name")
    territory = serializers.CharField(source="allocation.partner_specialization.territory.code")
    role = serializers.CharField(source="allocation.role.name")
    individual = serializers.IntegerField(source="allocation.individual_id")
    individual_name = serializers.CharField(source="allocation.individual.name")
    certifications = serializers.SerializerMethodField()
    days_left = serializers.IntegerField()
    required = serializers.IntegerField()
    remaining = serializers.IntegerField()
    left_unfilled = serializers.BooleanField()
    sentence = serializers.CharField()

    def get_certifications(self, obj) -> list[dict]:
        return [
            {"id": c.pk, "track": c.track, "level": c.level, "expires_on": c.expires_on} for c in obj.certifications
        ]
