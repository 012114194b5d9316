"""Event kinds in one style (`<noun>.<verb>`, see core/event_kinds.py): rename the kinds of the rows already
recorded. Dedupe keys are left as they are: the jobs still build them with the old prefixes."""

from django.db import migrations

RENAMED = {
    "ce.certification.added": "ce_certification.added",
    "ce.certification.renewed": "ce_certification.renewed",
    "ce.certification.reminder": "ce_certification.reminded",
    "ce.exam.recorded": "ce_exam.recorded",
    "ce.claim.submitted": "ce_claim.submitted",
    "ce.claim.reviewed": "ce_claim.reviewed",
    "csat.response_validity": "csat.validity_changed",
    "hybriditservice.saved": "hybrid_it_service.saved",
    "hybriditservice.verified": "hybrid_it_service.verified",
    "hybriditservice.deleted": "hybrid_it_service.deleted",
    "supportagreement.saved": "support_agreement.saved",
    "supportagreement.verified": "support_agreement.verified",
    "supportagreement.deleted": "support_agreement.deleted",
    "supportcapability.saved": "support_capability.saved",
    "supportcapability.verified": "support_capability.verified",
    "supportcapability.deleted": "support_capability.deleted",
    "renewal-recert": "renewal.opened",
    "renewal-reminder": "renewal.reminded",
    "renewal-submitted": "renewal.submitted",
    "renewal-approved": "renewal.approved",
    "renewal-rejected": "renewal.rejected",
    "credential-lapsed": "credential.lapsed",
    "credential-retired": "credential.retired",
    "credential-revoked": "credential.revoked",
    "incident-opened": "incident.opened",
    "incident-flagged": "incident.flagged",
    "incident-closed": "incident.closed",
    "incident-acknowledged": "incident.acknowledged",
    "incident-extended": "incident.extended",
    "loyalty.expiry_warning": "loyalty.expiry_warned",
}


def _rename(apps, mapping):
    Event = apps.get_model("core", "Event")
    for old, new in mapping.items():
        Event.objects.filter(kind=old).update(kind=new)


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_program_policy"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
