"""Default measurement dates (RULES 5.2 Decision): the last day of January and of July, FY2014 to FY2040."""

from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    MeasurementDate = apps.get_model("csat", "MeasurementDate")
    for fy in range(2014, 2041):
        for day in (date(fy, 1, 31), date(fy, 7, 31)):
            MeasurementDate.objects.get_or_create(date=day, defaults={"fiscal_year": fy})


class Migration(migrations.Migration):
    dependencies = [("csat", "0002_responses_followups_measurement_dates")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
