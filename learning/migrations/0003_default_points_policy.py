"""The default Continuous Learning points program (RULES 3.4), as data.

Architecture 100, Technology 80, Express 40 for anniversaries from 2017-01-29; half of that for the
transitional anniversaries 2016-10-31 to 2017-01-28 inclusive; no row (no requirement) before 2016-10-31.
"""

from datetime import date

from django.db import migrations

TRANSITION_FROM, TRANSITION_TO, DEFAULT_FROM = date(2016, 10, 31), date(2017, 1, 28), date(2017, 1, 29)
REQUIRED = {"architecture": (100, 50), "technology": (80, 40), "express": (40, 20)}


def forwards(apps, schema_editor):
    PointsPolicy = apps.get_model("learning", "PointsPolicy")
    for kind, (full, transitional) in REQUIRED.items():
        PointsPolicy.objects.get_or_create(
            kind=kind,
            effective_from=TRANSITION_FROM,
            defaults={
                "effective_to": TRANSITION_TO,
                "required_points": transitional,
                "label": "Transitional (renewals 2016-10-31 to 2017-01-28)",
            },
        )
        PointsPolicy.objects.get_or_create(
            kind=kind,
            effective_from=DEFAULT_FROM,
            defaults={"effective_to": None, "required_points": full, "label": "Continuous Learning 2017"},
        )


def backwards(apps, schema_editor):
    apps.get_model("learning", "PointsPolicy").objects.filter(
        effective_from__in=[TRANSITION_FROM, DEFAULT_FROM]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_sessions_policy_ledger")]
    operations = [migrations.RunPython(forwards, backwards)]
