"""Back-fill `Event.individual` on the CE events that name only a certification (renewed, reminded)."""

from django.db import migrations

KINDS = ("ce_certification.renewed", "ce_certification.reminded")


def individual_from_certification(apps, schema_editor):
    Event = apps.get_model("core", "Event")
    IndividualCertification = apps.get_model("certifications", "IndividualCertification")
    by_cert: dict[int, list[int]] = {}
    for pk, payload in Event.objects.filter(individual__isnull=True, kind__in=KINDS).values_list("pk", "payload"):
        cert = payload.get("certification") if isinstance(payload, dict) else None
        if isinstance(cert, int):
            by_cert.setdefault(cert, []).append(pk)
    owners = dict(IndividualCertification.objects.filter(pk__in=list(by_cert)).values_list("pk", "individual_id"))
    for cert, pks in by_cert.items():
        if cert in owners:
            Event.objects.filter(pk__in=pks).update(individual_id=owners[cert])


class Migration(migrations.Migration):
    dependencies = [("certifications", "0001_initial"), ("core", "0005_event_individual")]

    operations = [migrations.RunPython(individual_from_certification, migrations.RunPython.noop)]
