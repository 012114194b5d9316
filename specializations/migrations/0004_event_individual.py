"""Back-fill `Event.individual` on role allocations still held (a released allocation's row is gone)."""

from django.db import migrations

KINDS = ("specialization.role_allocated", "specialization.role_released")


def individual_from_allocation(apps, schema_editor):
    Event = apps.get_model("core", "Event")
    RoleAllocation = apps.get_model("specializations", "RoleAllocation")
    by_allocation: dict[int, list[int]] = {}
    for pk, payload in Event.objects.filter(individual__isnull=True, kind__in=KINDS).values_list("pk", "payload"):
        allocation = payload.get("allocation") if isinstance(payload, dict) else None
        if isinstance(allocation, int):
            by_allocation.setdefault(allocation, []).append(pk)
    holders = dict(RoleAllocation.objects.filter(pk__in=list(by_allocation)).values_list("pk", "individual_id"))
    for allocation, pks in by_allocation.items():
        if allocation in holders:
            Event.objects.filter(pk__in=pks).update(individual_id=holders[allocation])


class Migration(migrations.Migration):
    dependencies = [("specializations", "0003_seed_architectures"), ("core", "0005_event_individual")]

    operations = [migrations.RunPython(individual_from_allocation, migrations.RunPython.noop)]
