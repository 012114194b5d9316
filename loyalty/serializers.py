from rest_framework import serializers

from core.api import StrictSerializerMixin

from .models import CreditLot, CustomerAccount, LedgerEntry, Redemption, TierPlacement


class AccountSerializer(serializers.ModelSerializer):
    account_manager = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    captain = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    tier = serializers.CharField(source="tier_name", allow_null=True, read_only=True)
    tier_average_bookings = serializers.DecimalField(
        source="tier_average", max_digits=14, decimal_places=2, allow_null=True, read_only=True
    )
    balance = serializers.IntegerField(read_only=True)
    expiring_soon = serializers.IntegerField(read_only=True, help_text="Credits expiring within 90 days (policy)")

    class Meta:
        model = CustomerAccount
        fields = [
            "id",
            "name",
            "customer_number",
            "account_manager",
            "captain",
            "terms_accepted_at",
            "terms_accepted_on",
            "tier",
            "tier_average_bookings",
            "balance",
            "expiring_soon",
        ]


class LotSerializer(serializers.ModelSerializer):
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = CreditLot
        fields = ["id", "amount", "remaining", "issued_on", "expires_on", "fiscal_year", "quarter"]


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "amount", "occurred_on", "lot", "redemption", "memo"]


class PlacementSerializer(serializers.ModelSerializer):
    tier = serializers.CharField(source="tier.name", allow_null=True, default=None)

    class Meta:
        model = TierPlacement
        fields = ["fiscal_year", "tier", "average_bookings", "years", "explanation", "decided_on"]


class AllocationSerializer(serializers.ModelSerializer):
    credits = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = ["lot", "credits", "kind"]

    def get_credits(self, entry) -> int:
        return -entry.amount


class RedemptionSerializer(serializers.ModelSerializer):
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Redemption
        fields = [
            "id",
            "account",
            "kind",
            "amount",
            "description",
            "ordered_on",
            "event_date",
            "voucher_expires_on",
            "status",
            "allocations",
            "created_at",
        ]


class RedemptionInputSerializer(StrictSerializerMixin, serializers.Serializer):
    account = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Redemption.KIND_CHOICES)
    amount = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=200)
    event_date = serializers.DateField(required=False, allow_null=True, help_text="Event passes: the event's date")
