"""Events about one person name her (`Event.individual`), so a partner's other members do not see them
(partners.access.events_visible). Rows already recorded are back-filled from `payload["individual"]`; the CE
events that name only a certification are back-filled by certifications' own migration."""

import django.db.models.deletion
from django.db import migrations, models


def individual_from_payload(apps, schema_editor):
    Event = apps.get_model("core", "Event")
    Individual = apps.get_model("partners", "Individual")
    by_person: dict[int, list[int]] = {}
    for pk, payload in Event.objects.filter(individual__isnull=True, payload__has_key="individual").values_list(
        "pk", "payload"
    ):
        person = payload.get("individual") if isinstance(payload, dict) else None
        if isinstance(person, int):
            by_person.setdefault(person, []).append(pk)
    existing = set(Individual.objects.filter(pk__in=list(by_person)).values_list("pk", flat=True))
    for person, pks in by_person.items():
        if person in existing:
            for start in range(0, len(pks), 5000):
                Event.objects.filter(pk__in=pks[start : start + 5000]).update(individual_id=person)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_event_kind_style"),
        ("partners", "0002_profile_customer_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="individual",
            field=models.ForeignKey(
                blank=True,
                help_text="The one person the event is about, if any: her personal record (partners.access decides who sees it)",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="partners.individual",
            ),
        ),
        migrations.RunPython(individual_from_payload, migrations.RunPython.noop),
    ]
