"""Fill `renewed_on` (the day the last renewal was approved) from the approved renewal applications, so credentials
renewed early show their next cycle from the approval on, as new approvals do."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def backfill(apps, schema_editor):
    application = apps.get_model("renewals", "RenewalApplication")
    content_type = apps.get_model("contenttypes", "ContentType")
    tz = ZoneInfo(settings.PROGRAM_TIME_ZONE)
    latest: dict[tuple[int, int], object] = {}
    approved = application.objects.filter(status="approved", decided_at__isnull=False).order_by("decided_at", "pk")
    for row in approved.values("content_type_id", "object_id", "decided_at"):
        latest[(row["content_type_id"], row["object_id"])] = row["decided_at"].astimezone(tz).date()
    for (type_id, object_id), day in latest.items():
        ct = content_type.objects.get(pk=type_id)
        model = apps.get_model(ct.app_label, ct.model)
        model.objects.filter(pk=object_id, renewed_on__isnull=True).update(renewed_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("renewals", "0006_verbose_names"),
        ("compliance", "0013_credential_renewed_on"),
        ("specializations", "0006_credential_renewed_on"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
