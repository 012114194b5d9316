"""Demo specialization catalogue and the specializations ACME and GLOBEX hold. Idempotent (natural keys)."""

from datetime import date, timedelta

from django.db import transaction

from core import clock
from partners import selectors as partner_selectors

from .models import (
    Architecture,
    FocusArea,
    PartnerSpecialization,
    Specialization,
    SpecializationRole,
)

# name, kind, architecture, end of sale, retired on
SPECIALIZATIONS = [
    ("Express Foundation", "express", None, None, None),
    ("Express Collaboration", "express", "Collaboration", None, None),
    ("Advanced Security Architecture", "architecture", "Security", None, None),
    ("Advanced Collaboration Architecture", "architecture", "Collaboration", None, None),
    ("Advanced Data Center Architecture", "architecture", "Data Center", None, None),
    ("Advanced Enterprise Networks Architecture", "architecture", "Enterprise Networks", None, None),
    ("Advanced Service Provider Architecture", "architecture", "Service Provider", None, None),
    ("Advanced Content Security", "technology", "Security", None, None),
    ("Borderless Network Architecture", "architecture", "Enterprise Networks", date(2014, 7, 1), date(2015, 7, 1)),
]
ROLES = {
    "express": [("Account Manager", 1), ("Sales Engineer", 1)],
    "technology": [("Account Manager", 1), ("Field Engineer", 2)],
    "architecture": [("Account Manager", 1), ("Sales Engineer", 1), ("Field Engineer", 2)],
}
# Focus areas beyond Security's four (which the migration ships), so every demo architecture has sessions.
EXTRA_FOCUS_AREAS = {
    "Collaboration": ["Meetings & Messaging"],
    "Data Center": ["Unified Computing"],
    "Enterprise Networks": ["Campus Switching"],
}
# partner, specialization, territory, days from today to the anniversary
HOLDINGS = [
    ("ACME", "Advanced Security Architecture", "DE", 75),
    ("ACME", "Express Foundation", "DE", 200),
    ("ACME", "Advanced Content Security", "NL", 20),
    ("GLOBEX", "Advanced Collaboration Architecture", "FR", 40),
    ("GLOBEX", "Express Collaboration", "BENELUX", 300),
]


@transaction.atomic
def load(stdout):
    for name, areas in EXTRA_FOCUS_AREAS.items():
        architecture, _ = Architecture.objects.get_or_create(name=name)
        for area in areas:
            FocusArea.objects.get_or_create(architecture=architecture, name=area)
    for name, kind, arch, eos, retired in SPECIALIZATIONS:
        spec, _ = Specialization.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "end_of_sale": eos,
                "retired_on": retired,
                "architecture": Architecture.objects.get(name=arch) if arch else None,
            },
        )
        for role, count in ROLES[kind]:
            SpecializationRole.objects.get_or_create(specialization=spec, name=role, defaults={"required_count": count})
    today = clock.today()
    partners = partner_selectors.partners_by_vendor_id(h[0] for h in HOLDINGS)
    territories = partner_selectors.territories_by_code()
    for pid, name, code, days in HOLDINGS:
        if pid not in partners:
            continue
        anniversary = today + timedelta(days=days)
        PartnerSpecialization.objects.get_or_create(
            partner=partners[pid],
            specialization=Specialization.objects.get(name=name),
            territory=territories[code.upper()],
            defaults={
                "certified_on": anniversary.replace(year=anniversary.year - 2)
                if anniversary.month != 2 or anniversary.day != 29
                else anniversary - timedelta(days=731),
                "anniversary": anniversary,
                "last_renewed_on": anniversary - timedelta(days=365),
                "status_changed_on": today,
            },
        )
    stdout.write(
        f"Specializations: {Specialization.objects.count()} in the catalogue, "
        f"{PartnerSpecialization.objects.count()} held."
    )
