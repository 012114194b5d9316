"""Writes of what a partner records per territory and staff verify: Hybrid IT services, support agreements
and support capabilities, and the evidence documents attached to them. A change clears the verification;
every write of a record queues a recompute.

Evidence: files are judged by their content (compliance/evidence_rules.py), stored under an unguessable name, and
added at any time (adding to a verified record keeps the verification: the verifier sees what came after).
Removing one from a verified record is refused: what staff verified stays on the record until the record is
changed (which asks for verification again)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from compliance import evidence_rules
from compliance.models import EvidenceFile
from core import clock
from core.events import event_record
from core.recompute import recompute_queue
from core.words import join_words, plural
from partners import access

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from typing import Any

    from django.core.files.uploadedfile import UploadedFile

    from compliance.models import PartnerRecord
    from partners.models import Partner, Territory

RECORD_FIELDS = {
    "HybridITService": [
        "name",
        "kind",
        "provider_contract",
        "customer_sla",
        "description",
        "lifecycle_process",
        "withdrawn_on",
    ],
    "SupportAgreement": ["kind", "reference", "starts_on", "ends_on"],
    "SupportCapability": ["code", "description", "since", "until"],
}
EVENT_NOUNS = {
    "HybridITService": "hybrid_it_service",
    "SupportAgreement": "support_agreement",
    "SupportCapability": "support_capability",
}  # event kinds: `<noun>.saved`, `.verified`, `.deleted`, `.evidence_added`, `.evidence_removed`


def _noun(obj: PartnerRecord) -> str:
    """ "Hybrid IT service", "Support agreement", "Support capability"."""
    noun = str(obj._meta.verbose_name)
    return f"{noun[0].upper()}{noun[1:]}"


def _partner_territory_check(partner: Partner, territory: Territory | None) -> None:

    if territory is not None and not partner.territories.filter(pk=territory.pk).exists():
        raise ValidationError({"territory": f"{partner} does not operate in {territory}."})


@transaction.atomic
def partner_record_save(
    *,
    model: type[PartnerRecord],
    partner: Partner,
    actor: access.Actor,
    instance: PartnerRecord | None = None,
    evidence: Sequence[UploadedFile] = (),
    **fields: Any,
) -> PartnerRecord:
    """Create or change a Hybrid IT service, support agreement or support capability, with any `evidence` files
    attached (all or nothing: a refused file saves nothing). A change clears the staff verification: changed
    evidence is verified again."""
    access.require(actor, "record.save", partner=partner)
    checked = _evidence_checked(evidence, record=instance)

    allowed = set(RECORD_FIELDS[model.__name__]) | {"territory"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    obj = instance or model(partner=partner)
    for name, value in fields.items():
        setattr(obj, name, value)
    _partner_territory_check(partner, getattr(obj, "territory", None) if obj.territory_id else None)
    obj.verified_on, obj.verified_by = None, None
    obj.full_clean()
    obj.save()
    event_record(
        kind=f"{EVENT_NOUNS[model.__name__]}.saved",
        partner=partner,
        actor=actor,
        summary=f"{_noun(obj)} “{obj}” {'changed' if instance else 'recorded'} for {obj.territory}",
    )
    recompute_queue(partner_id=partner.pk)
    if checked:
        _evidence_store(obj, checked, actor)
    return obj


@transaction.atomic
def partner_record_verify(*, obj: PartnerRecord, actor: access.Actor, on: date | None = None) -> PartnerRecord:
    """Program staff confirm a recorded service, agreement or capability."""
    access.require(actor, "record.verify", partner=obj.partner)
    obj.verified_on, obj.verified_by = on or clock.today(), access.person(actor)
    obj.save(update_fields=["verified_on", "verified_by"])
    event_record(
        kind=f"{EVENT_NOUNS[type(obj).__name__]}.verified",
        partner=obj.partner,
        actor=actor,
        summary=f"{_noun(obj)} “{obj}” verified",
    )
    recompute_queue(partner_id=obj.partner_id)
    return obj


@transaction.atomic
def partner_record_delete(*, obj: PartnerRecord, actor: access.Actor) -> None:
    access.require(actor, "record.save", partner=obj.partner)
    partner_id, text = obj.partner_id, str(obj)
    link = EvidenceFile.RECORD_FIELDS[type(obj).__name__]
    files = list(EvidenceFile.objects.filter(**{link: obj}).values_list("file", flat=True))
    obj.delete()
    event_record(
        kind=f"{EVENT_NOUNS[type(obj).__name__]}.deleted",
        partner=obj.partner,
        actor=actor,
        summary=f"{_noun(obj)} “{text}” removed"
        + (f" with its {plural(len(files), 'evidence document')}" if files else ""),
    )
    recompute_queue(partner_id=partner_id)
    _storage_delete_on_commit(files)


# --- Evidence documents ---------------------------------------------------------------------------------------

STORAGE = EvidenceFile._meta.get_field("file").storage


def _storage_delete_on_commit(names: Sequence[str]) -> None:
    """Delete stored files once the rows that named them are gone for good (nothing if the change rolls back)."""

    def delete() -> None:
        for name in names:
            STORAGE.delete(name)

    transaction.on_commit(delete)


def _evidence_checked(
    files: Sequence[UploadedFile], *, record: PartnerRecord | None = None
) -> list[tuple[UploadedFile, str, str]]:
    """(file, detected content type, safe name) of each upload; ValidationError on `evidence` listing every
    refused file (too big, empty, not a PDF or an image by its content), and too many files for the `record`
    (locked while it is counted, so two uploads at once cannot pass the limit together), before anything is
    stored."""
    max_bytes = settings.EVIDENCE_MAX_BYTES
    checked, problems = [], []
    held = 0
    if record is not None and record.pk and files:
        type(record).objects.select_for_update().filter(pk=record.pk).first()
        held = EvidenceFile.objects.filter(**{EvidenceFile.RECORD_FIELDS[type(record).__name__]: record}).count()
    too_many = evidence_rules.evidence_count_problem(
        held=held, adding=len(files), max_files=settings.EVIDENCE_MAX_FILES
    )
    if too_many:
        problems.append(too_many)
    for upload in files:
        name = evidence_rules.evidence_shown_name(upload.name or "")
        size = upload.size or 0
        head = b""
        if 0 < size <= max_bytes:  # a file over the limit is refused before a byte of it is read
            upload.seek(0)
            head = upload.read(evidence_rules.EVIDENCE_HEAD_BYTES)
            upload.seek(0)
        problem = evidence_rules.evidence_problem(name=name, size=size, head=head, max_bytes=max_bytes)
        detected = evidence_rules.evidence_type(head)
        if problem or detected is None:
            problems.append(problem)
        else:
            checked.append((upload, detected[0], evidence_rules.evidence_name(upload.name or "", detected[1])))
    if problems:
        raise ValidationError({"evidence": problems})
    return checked


def _evidence_store(record: PartnerRecord, checked: list, actor: access.Actor) -> list[EvidenceFile]:
    link = {EvidenceFile.RECORD_FIELDS[type(record).__name__]: record}
    stored: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            for upload, content_type, name in checked:
                evidence = EvidenceFile(
                    partner=record.partner,
                    **link,
                    name=name,
                    content_type=content_type,
                    size=upload.size,
                    uploaded_by=access.person(actor),
                    uploaded_at=clock.now(),
                )
                evidence.file.save(name, upload, save=False)
                stored.append(evidence)
                evidence.save()
            listed = join_words([f"{e.name} ({evidence_rules.file_size(e.size)})" for e in stored])
            event_record(
                kind=f"{EVENT_NOUNS[type(record).__name__]}.evidence_added",
                partner=record.partner,
                actor=actor,
                summary=f"{_noun(record)} “{record}”: evidence added: {listed}",
            )
    except Exception:
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def evidence_add(*, record: PartnerRecord, files: Sequence[UploadedFile], actor: access.Actor) -> list[EvidenceFile]:
    """Attach evidence documents to a record (all or nothing). The record's verification stands."""
    access.require(actor, "record.save", partner=record.partner)
    if not files:
        raise ValidationError({"evidence": "Choose a file to upload (a PDF or an image)."})
    return _evidence_store(record, _evidence_checked(files, record=record), actor)


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, actor: access.Actor) -> None:
    """Remove an evidence document, from the record and from storage. Refused on a verified record."""
    record = evidence.record
    access.require(actor, "record.save", partner=record.partner)
    if record.verified_on:
        raise ValidationError(
            f"{evidence.name} cannot be removed: {record} was verified on {record.verified_on:%Y-%m-%d} with it. "
            "Change the record first (it is then verified again)."
        )
    name = str(evidence.file.name)
    evidence.delete()
    event_record(
        kind=f"{EVENT_NOUNS[type(record).__name__]}.evidence_removed",
        partner=record.partner,
        actor=actor,
        summary=f"{_noun(record)} “{record}”: evidence removed: {evidence.name}",
    )
    _storage_delete_on_commit([name])
