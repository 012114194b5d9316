"""Demo knowledge sessions and learning for ACME and GLOBEX, recorded through the ledger service.
Idempotent: sessions by code, records by client record id."""

from datetime import timedelta

from django.db import transaction

from core import clock
from partners import access
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors

from .models import KnowledgeSession
from .services import learning_records_import

# code, title, (architecture, focus area), points, hours, via assessment, connected architectures, specializations
SESSIONS = [
    (
        "SEC-NGFW-01",
        "Next-generation firewall fundamentals",
        ("Security", "Next Generation Firewall & IPS"),
        5,
        5,
        False,
        ["Security"],
        [],
    ),
    (
        "SEC-NGFW-02",
        "IPS tuning workshop",
        ("Security", "Next Generation Firewall & IPS"),
        10,
        10,
        False,
        ["Security"],
        [],
    ),
    ("SEC-PA-01", "Identity services and policy", ("Security", "Policy & Access"), 10, 9, False, ["Security"], []),
    (
        "SEC-PA-02",
        "Policy & Access sales briefing",
        ("Security", "Policy & Access"),
        1,
        1,
        False,
        ["Security"],
        ["Express Foundation"],
    ),
    (
        "SEC-WES-01",
        "Web and email security deep dive",
        ("Security", "Web & Email Security"),
        20,
        20,
        True,
        ["Security"],
        ["Advanced Content Security"],
    ),
    (
        "SEC-AT-01",
        "Advanced threats: detection and response",
        ("Security", "Advanced Threats"),
        20,
        18,
        False,
        ["Security"],
        [],
    ),
    (
        "SEC-AT-02",
        "Malware protection quick start",
        ("Security", "Advanced Threats"),
        5,
        4,
        False,
        ["Security"],
        ["Advanced Content Security"],
    ),
    (
        "COL-MM-01",
        "Meetings and messaging architecture",
        ("Collaboration", "Meetings & Messaging"),
        20,
        20,
        False,
        ["Collaboration"],
        ["Express Collaboration"],
    ),
    (
        "COL-MM-02",
        "Collaboration endpoints update",
        ("Collaboration", "Meetings & Messaging"),
        5,
        5,
        False,
        ["Collaboration"],
        [],
    ),
    (
        "COL-MM-03",
        "Collaboration certification prep",
        ("Collaboration", "Meetings & Messaging"),
        10,
        10,
        True,
        ["Collaboration"],
        ["Express Collaboration"],
    ),
    (
        "DC-UC-01",
        "Unified computing essentials",
        ("Data Center", "Unified Computing"),
        10,
        10,
        False,
        ["Data Center"],
        [],
    ),
    (
        "EN-CS-01",
        "Campus switching for sellers",
        ("Enterprise Networks", "Campus Switching"),
        5,
        5,
        False,
        ["Enterprise Networks"],
        ["Express Foundation"],
    ),
]
# partner, testing number, session, days ago, how
LEARNING = [
    ("ACME", "CSCO10001", "SEC-NGFW-01", 200, "viewed"),
    ("ACME", "CSCO10002", "SEC-PA-01", 150, "viewed"),
    ("ACME", "CSCO10003", "SEC-AT-01", 100, "viewed"),
    ("ACME", "CSCO10001", "SEC-WES-01", 80, "downloaded"),
    ("ACME", "CSCO10001", "SEC-WES-01", 60, "assessment_passed"),
    ("ACME", "CSCO10002", "SEC-NGFW-01", 30, "viewed"),
    ("ACME", "CSCO10001", "SEC-NGFW-01", 20, "viewed"),
    ("ACME", "CSCO10003", "SEC-PA-02", 10, "viewed"),
    ("ACME", "CSCO10002", "EN-CS-01", 5, "viewed"),
    ("GLOBEX", "CSCO20001", "COL-MM-01", 120, "viewed"),
    ("GLOBEX", "CSCO20002", "COL-MM-02", 45, "viewed"),
    ("GLOBEX", "CSCO20001", "COL-MM-03", 15, "downloaded"),
]


@transaction.atomic
def load(stdout):
    for code, title, (arch, area), points, hours, via, archs, specs in SESSIONS:
        session, created = KnowledgeSession.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "focus_area": specialization_selectors.focus_area_get(architecture=arch, name=area),
                "points": points,
                "duration_hours": hours,
                "via_assessment": via,
            },
        )
        if created:
            architectures, specializations = specialization_selectors.catalogue_by_name(
                architectures=archs, specializations=specs
            )
            session.architectures.set(architectures)
            session.specializations.set(specializations)
    today = clock.today()
    by_partner = {}
    for n, (pid, number, code, days, how) in enumerate(LEARNING, start=1):
        by_partner.setdefault(pid, []).append(
            {
                "client_record_id": f"demo:{n}",
                "testing_number": number,
                "session_code": code,
                "occurred_on": today - timedelta(days=days),
                "how": how,
            }
        )
    added = 0
    for partner in partner_selectors.partners_by_vendor_id(by_partner).values():
        result = learning_records_import(
            partner=partner,
            records=by_partner[partner.vendor_partner_id],
            source="demo",
            all_or_nothing=False,
            actor=access.SYSTEM,
        )
        added += result.count("created")
    stdout.write(f"Learning: {KnowledgeSession.objects.count()} knowledge sessions; {added} demo records added.")
