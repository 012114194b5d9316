"""The default renewal schedule (RULES 6 and 7) as the first effective-dated policy row."""

from datetime import date

from django.db import migrations


def forward(apps, schema_editor):
    RenewalPolicy = apps.get_model("renewals", "RenewalPolicy")
    RenewalPolicy.objects.get_or_create(
        effective_from=date(2000, 1, 1),
        defaults={
            "recert_window_days": 90,
            "reminder_days": [30, 7],
            "lapse_after_days": 30,
            "acknowledge_days": 30,
        },
    )
    try:
        JobLock = apps.get_model("renewals", "JobLock")
    except LookupError:  # called with the live registry (tests re-load the defaults): JobLock now lives in core
        JobLock = apps.get_model("core", "JobLock")
    JobLock.objects.get_or_create(name="renewal-lifecycle")


class Migration(migrations.Migration):
    dependencies = [("renewals", "0002_lifecycle")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
