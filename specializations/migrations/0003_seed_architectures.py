"""The program's five architectures and the Security focus areas (RULES 2.2, seed 000), as data."""

from django.db import migrations

ARCHITECTURES = ["Collaboration", "Enterprise Networks", "Security", "Data Center", "Service Provider"]
FOCUS_AREAS = {
    "Security": ["Next Generation Firewall & IPS", "Policy & Access", "Web & Email Security", "Advanced Threats"]
}


def forwards(apps, schema_editor):
    Architecture = apps.get_model("specializations", "Architecture")
    FocusArea = apps.get_model("specializations", "FocusArea")
    for name in ARCHITECTURES:
        architecture, _ = Architecture.objects.get_or_create(name=name)
        for area in FOCUS_AREAS.get(name, []):
            FocusArea.objects.get_or_create(architecture=architecture, name=area)


class Migration(migrations.Migration):
    dependencies = [("specializations", "0002_catalogue_and_holdings")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
