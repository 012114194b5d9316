"""The default loyalty program: the policy figures of RULES 9 and a tier table.

The seed document names no thresholds or award amounts; these tiers are the portal's defaults,
to be changed by staff as new effective-dated rows.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

START = date(2000, 1, 1)
TIERS = [  # name, lowest three-year average of eligible net bookings, credits per quarter
    ("Tier 1", Decimal("250000"), 25),
    ("Tier 2", Decimal("1000000"), 75),
    ("Tier 3", Decimal("5000000"), 250),
    ("Tier 4", Decimal("20000000"), 750),
]


def load(apps, schema_editor):
    Policy = apps.get_model("loyalty", "LoyaltyPolicy")
    Tier = apps.get_model("loyalty", "Tier")
    Policy.objects.get_or_create(
        effective_from=START,
        defaults={
            "tier_years": 3,
            "credit_validity_months": 12,
            "voucher_min_days_before_expiry": 5,
            "voucher_validity_months": 12,
            "first_warning_days": 60,
            "second_warning_days": 30,
            "expiring_soon_days": 90,
        },
    )
    for name, threshold, award in TIERS:
        Tier.objects.get_or_create(
            name=name, effective_from=START, defaults={"min_average_bookings": threshold, "quarterly_award": award}
        )


def unload(apps, schema_editor):
    apps.get_model("loyalty", "Tier").objects.filter(effective_from=START, placements__isnull=True).delete()
    apps.get_model("loyalty", "LoyaltyPolicy").objects.filter(effective_from=START).delete()


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0002_accounts_ledger_and_tiers")]
    operations = [migrations.RunPython(load, unload)]
