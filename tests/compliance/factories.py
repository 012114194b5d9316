"""Factories for certifications, Hybrid IT services and support records."""

from datetime import date

import factory

from compliance.models import (
    CertificationChange,
    CertificationTier,
    HybridITService,
    PartnerCertification,
    SupportAgreement,
    SupportCapability,
)
from core.dates import add_months
from tests.factories import PartnerFactory, TerritoryFactory


def ensure_default_program():
    """Re-load the program the data migrations ship (a transactional test's flush drops it)."""
    from importlib import import_module

    from django.apps import apps

    import_module("compliance.migrations.0004_default_program").load(apps, None)
    import_module("csat.migrations.0003_default_measurement_dates").load(apps, None)


def tier(name: str) -> CertificationTier:
    return CertificationTier.objects.get(name=name)


def certify(partner, territory, name="Premier", on=date(2024, 1, 1), anniversary=None, history=()):
    """A held certification with its history rows: `history` = [(from_name|None, to_name|None, date), ...]."""
    cert = PartnerCertification.objects.create(
        partner=partner,
        territory=territory,
        tier=tier(name),
        tier_since=on,
        certified_on=on,
        anniversary=anniversary or add_months(on, 12),
    )
    for from_name, to_name, changed_on in history:
        CertificationChange.objects.create(
            certification=cert,
            changed_on=changed_on,
            from_tier=tier(from_name) if from_name else None,
            to_tier=tier(to_name) if to_name else None,
        )
    return cert


class HybridITServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HybridITService

    partner = factory.SubFactory(PartnerFactory)
    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Managed WAN {n}")
    kind = HybridITService.POWERED_MANAGED
    provider_contract = "PC-1"
    customer_sla = "SLA-1"
    description = "Managed WAN with 24x7 monitoring"
    lifecycle_process = "LCM-1"
    verified_on = date(2014, 1, 1)


class SupportAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportAgreement

    partner = factory.SubFactory(PartnerFactory)
    territory = factory.SubFactory(TerritoryFactory)
    kind = SupportAgreement.ICPA
    reference = factory.Sequence(lambda n: f"ICPA-{n}")
    starts_on = date(2014, 1, 1)
    ends_on = date(2030, 12, 31)
    verified_on = date(2014, 1, 1)


class SupportCapabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportCapability

    partner = factory.SubFactory(PartnerFactory)
    territory = factory.SubFactory(TerritoryFactory)
    code = SupportCapability.CUSTOMER_SERVICE_8X5
    description = "Helpdesk 8-17 weekdays"
    since = date(2014, 1, 1)
    verified_on = date(2014, 1, 1)


def support_complete(partner, territory, codes=("customer_service_8x5", "pre_sales", "post_sales", "callback_24h")):
    SupportAgreementFactory(partner=partner, territory=territory)
    for code in codes:
        SupportCapabilityFactory(partner=partner, territory=territory, code=code)


def build_partner_data(partner):
    """One of each tenant-owned compliance object for the tenancy walk."""
    territory = TerritoryFactory()
    partner.territories.add(territory)
    cert = certify(partner, territory, on=date(2025, 1, 1), history=[(None, "Premier", date(2025, 1, 1))])
    from compliance.models import CredentialVerdict, VerdictChange
    from compliance.services.recompute import verdicts_recompute

    verdicts_recompute(partner_ids=[partner.pk], as_of=date(2025, 6, 1))
    service = HybridITServiceFactory(
        partner=partner, territory=territory, name=f"Distinct service of {partner.legal_name}"
    )
    agreement = SupportAgreementFactory(partner=partner, territory=territory, reference=f"AGR-{partner.pk}-distinct")
    capability = SupportCapabilityFactory(
        partner=partner, territory=territory, description=f"Distinct desk {partner.pk}"
    )
    return [
        cert,
        CredentialVerdict.objects.get(
            partner=partner, credential_id=cert.pk, credential_type="compliance.partnercertification"
        ),
        VerdictChange.objects.get(
            partner=partner, credential_id=cert.pk, credential_type="compliance.partnercertification"
        ),
        service,
        agreement,
        capability,
        *evidence_files(service, agreement, capability),
    ]


def evidence_files(*recorded):
    """One evidence document on each record, its name and its content both marked with the partner's name (the walk
    looks for both: a download of another partner's file must never answer)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from compliance.services.records import evidence_add
    from partners.access import SYSTEM

    files = []
    for record in recorded:
        name = f"Evidence of {record.partner.legal_name} {record._meta.model_name}"
        content = f"%PDF-1.4\n% {name} secret content\n%%EOF\n".encode()
        files += evidence_add(record=record, files=[SimpleUploadedFile(f"{name}.pdf", content)], actor=SYSTEM)
    return files
