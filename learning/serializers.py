from rest_framework import serializers

from core.api import StrictSerializerMixin

from .models import KnowledgeSession, LearningRecord, PointsPolicy
from .services import BULK_MAX


class KnowledgeSessionSerializer(serializers.ModelSerializer):
    focus_area = serializers.StringRelatedField()
    specializations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    architectures = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = KnowledgeSession
        fields = [
            "id",
            "code",
            "title",
            "focus_area",
            "specializations",
            "architectures",
            "points",
            "duration_hours",
            "via_assessment",
            "is_active",
        ]


class PointsPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = PointsPolicy
        fields = [
            "id",
            "kind",
            "label",
            "effective_from",
            "effective_to",
            "required_points",
            "window_months",
            "pace_days",
        ]


class LearningRecordSerializer(serializers.ModelSerializer):
    testing_number = serializers.CharField(source="individual.testing_number")
    individual_name = serializers.CharField(source="individual.name")
    session_code = serializers.CharField(source="session.code")
    points = serializers.IntegerField(source="session.points")

    class Meta:
        model = LearningRecord
        fields = [
            "id",
            "partner",
            "individual",
            "testing_number",
            "individual_name",
            "session",
            "session_code",
            "points",
            "occurred_on",
            "how",
            "client_record_id",
            "reversal_of",
            "reason",
            "source",
            "recorded_at",
        ]


class LearningRecordInputSerializer(serializers.Serializer):
    """One record of a bulk request (checked record by record by the service, for per-record outcomes)."""

    client_record_id = serializers.CharField(max_length=100, help_text="Your id; re-sending it adds nothing")
    testing_number = serializers.CharField(help_text="The individual's vendor testing number")
    session_code = serializers.CharField(help_text="The knowledge session's catalogue code")
    occurred_on = serializers.DateField()
    how = serializers.ChoiceField(choices=["viewed", "downloaded", "assessment_passed"])


class RecordsField(serializers.ListField):
    """A list of JSON objects, handed whole to the service, which checks every record as a set and reports
    on each (DRF field-by-field validation of 10,000 records would cost more than saving them)."""

    child = serializers.DictField()

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not data and not self.allow_empty:
            self.fail("empty")
        bad = {n: ["Each record is a JSON object."] for n, r in enumerate(data) if not isinstance(r, dict)}
        if bad:
            raise serializers.ValidationError(dict(list(bad.items())[:10]))
        return data


class BulkInputSerializer(StrictSerializerMixin, serializers.Serializer):
    partner = serializers.IntegerField(required=False, help_text="Partner id; defaults to your own partner")
    records = RecordsField(
        allow_empty=False,
        max_length=BULK_MAX,
        help_text=f"Up to {BULK_MAX:,} records shaped like LearningRecordInput",
    )
    dry_run = serializers.BooleanField(default=False, help_text="Check every record and save nothing")
    all_or_nothing = serializers.BooleanField(default=False, help_text="Save nothing if any record is bad")


class OutcomeSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the record in `records`, from 0")
    line = serializers.IntegerField(help_text="Position of the record in the request, from 1")
    client_record_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "new", "duplicate", "error"])
    errors = serializers.DictField(child=serializers.CharField(), help_text="Why a record is rejected, by field")
    record_id = serializers.IntegerField(allow_null=True, help_text="The ledger entry saved, or repeated")
    note = serializers.CharField(help_text="e.g. which entry a duplicate repeats; a download earns no points")


class BulkResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    saved = serializers.BooleanField(help_text="Whether anything was added")
    received = serializers.IntegerField(help_text="Records in the request")
    created = serializers.IntegerField(help_text="Records added to the ledger")
    new = serializers.IntegerField(help_text="Valid records not saved: a dry run, or a refused all_or_nothing batch")
    duplicates = serializers.IntegerField(
        help_text="Records already recorded (or repeated in the request): nothing added"
    )
    rejected = serializers.IntegerField(help_text="Records with errors: not saved")
    attention = OutcomeSerializer(many=True, help_text="The rejected records and the duplicates, in request order")
    outcomes = OutcomeSerializer(many=True, required=False, help_text="Every record's outcome; only with ?outcomes=all")


class ReverseInputSerializer(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class BulkInputDocSerializer(BulkInputSerializer):
    """The bulk request as documented; records are checked one by one by the service (per-record outcomes)."""

    records = LearningRecordInputSerializer(many=True)
