"""Demo certifications and the Hybrid IT services, agreements and capabilities behind them. Idempotent.

ACME: Premier in Germany with everything on record (CSAT decides); GLOBEX: Premier moved to Gold in France;
INITECH: a new Premier in the United Kingdom still missing Hybrid IT and support records.
"""

from datetime import timedelta

from django.db import transaction

from core import clock
from core.dates import add_months
from partners import selectors as partner_selectors

from .models import (
    CertificationChange,
    CertificationTier,
    HybridITService,
    PartnerCertification,
    SupportAgreement,
    SupportCapability,
)
from .services.recompute import verdicts_recompute

# partner, country, tier, months certified, months in the current tier (None: since certified), previous tier
CERTIFICATIONS = [
    ("ACME", "DE", "Premier", 40, None, None),
    ("ACME", "NL", "Premier", 30, None, None),
    ("GLOBEX", "FR", "Gold", 50, 7, "Premier"),
    ("INITECH", "GB", "Premier", 5, None, None),
]
RECORDED = ["ACME", "GLOBEX"]  # partners with Hybrid IT and support on record (verified)


@transaction.atomic
def load(stdout):
    today = clock.today()
    tiers = {t.name: t for t in CertificationTier.objects.all()}
    partners = partner_selectors.partners_by_vendor_id(c[0] for c in CERTIFICATIONS)
    territories = partner_selectors.territories_by_code()
    for pid, code, tier, months, tier_months, previous in CERTIFICATIONS:
        partner, territory = partners.get(pid), territories.get(code.upper())
        if partner is None or territory is None:
            continue
        certified_on = add_months(today, -months)
        tier_since = add_months(today, -tier_months) if tier_months else certified_on
        anniversary = add_months(certified_on, 12)
        while anniversary <= today:
            anniversary = add_months(anniversary, 12)
        cert, created = PartnerCertification.objects.get_or_create(
            partner=partner,
            territory=territory,
            defaults={
                "tier": tiers[tier],
                "tier_since": tier_since,
                "certified_on": certified_on,
                "anniversary": anniversary,
                "last_renewed_on": add_months(anniversary, -12)
                if add_months(anniversary, -12) > certified_on
                else None,
            },
        )
        if created:
            first = tiers[previous] if previous else tiers[tier]
            CertificationChange.objects.create(
                certification=cert, from_tier=None, to_tier=first, changed_on=certified_on
            )
            if previous:
                CertificationChange.objects.create(
                    certification=cert, from_tier=first, to_tier=tiers[tier], changed_on=tier_since
                )
        if pid not in RECORDED:
            continue
        verified = today - timedelta(days=30)
        HybridITService.objects.get_or_create(
            partner=partner,
            territory=territory,
            name=f"{partner.legal_name} Managed WAN",
            defaults={
                "kind": HybridITService.POWERED_MANAGED,
                "provider_contract": "PC-2024-17",
                "customer_sla": "SLA-GOLD-99.9",
                "description": "Managed SD-WAN with 24×7 monitoring",
                "lifecycle_process": "LCM handbook v3",
                "verified_on": verified,
            },
        )
        SupportAgreement.objects.get_or_create(
            partner=partner,
            territory=territory,
            reference=f"ICPA-{pid}-{code}",
            defaults={
                "kind": SupportAgreement.ICPA,
                "starts_on": certified_on,
                "ends_on": add_months(today, 24),
                "verified_on": verified,
            },
        )
        for code_ in (
            SupportCapability.CUSTOMER_SERVICE_8X5,
            SupportCapability.PRE_SALES,
            SupportCapability.POST_SALES,
        ):
            SupportCapability.objects.get_or_create(
                partner=partner,
                territory=territory,
                code=code_,
                defaults={
                    "description": "Service desk and presales team",
                    "since": certified_on,
                    "verified_on": verified,
                },
            )
    # Runs after the specializations, learning and csat demos (INSTALLED_APPS order), so it sees them all.
    stored = verdicts_recompute(partner_ids=None, as_of=today)
    stdout.write(
        f"Compliance: demo certifications, Hybrid IT services and support records are in place; "
        f"{stored} credential verdicts recomputed."
    )
