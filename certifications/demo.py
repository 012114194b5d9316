"""Demo CE catalogue, certifications, exams and claims. Idempotent (natural keys are looked up first)."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from core import clock
from core.dates import add_years
from partners import access
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors
from specializations.services import role_allocate

from . import services
from .models import CeActivity, CeClaim, ExamPass, IndividualCertification

DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# title, type, credits, cost, currency, expires on (the first two are the seed document's examples)
ACTIVITIES = [
    ("Rev Up to Recert: Python", "online_videos", 15, "0", "GBP", date(2023, 4, 20)),
    ("Cisco DevNet Associate Fundamentals", "online_course", 48, "99", "GBP", date(2023, 4, 30)),
    (
        "Implementing Cisco Enterprise Network Core Technologies (ENCOR), 5 days",
        "instructor_led",
        64,
        "3995",
        "USD",
        date(2028, 12, 31),
    ),
    ("Network Automation with Python, digital course (14 hours)", "online_course", 12, "0", "USD", date(2028, 6, 30)),
    ("Cisco Live Europe technical sessions", "event", 16, "2195", "EUR", date(2027, 2, 13)),
]
# testing number, track, level, certified on: a date, or the number of days before today that the
# period ends (so the demo always shows what expires soon). 29 February shows the clamped expiry.
CERTIFICATIONS = [
    ("CSCO10001", "CCNP Enterprise", "professional", date(2024, 2, 29)),
    ("CSCO10002", "CCNA", "associate", 56),
    ("CSCO10003", "CCIE Enterprise Infrastructure", "expert", 20),
    ("CSCO20001", "CCNP Security", "professional", date(2025, 3, 1)),
]
# Clara and Bernd are the Field Engineers of Acme's Advanced Security Architecture: both expire soon.
ALLOCATIONS = [("ACME", "Advanced Security Architecture", "Field Engineer", ["CSCO10003", "CSCO10002"])]
EXAMS = [("CSCO10003", "professional", "350-401 ENCOR", date(2025, 6, 10))]
# testing number, activity title (or course name), credits if no activity, start, end, code, decision
CLAIMS = [
    ("CSCO10001", ACTIVITIES[2][0], None, date(2025, 3, 10), date(2025, 3, 14), "DEMO-ENCOR-0001", "earned"),
    ("CSCO10001", ACTIVITIES[3][0], None, date(2025, 9, 1), date(2025, 9, 3), "DEMO-AUTO-0002", ""),
    (
        "CSCO10003",
        "Partner architecture bootcamp",
        30,
        date(2025, 5, 5),
        date(2025, 5, 7),
        "DEMO-BOOT-0003",
        "rejected",
    ),
]


def load(stdout):
    activities = {}
    for title, kind, credits, cost, currency, expires_on in ACTIVITIES:
        activities[title], _ = CeActivity.objects.get_or_create(
            title=title,
            expires_on=expires_on,
            defaults={"activity_type": kind, "credits": credits, "cost": Decimal(cost), "currency": currency},
        )
    people = partner_selectors.individuals_by_testing_number(row[0] for row in CERTIFICATIONS + EXAMS + CLAIMS)
    today = clock.today()
    for number, track, level, certified_on in CERTIFICATIONS:
        if isinstance(certified_on, int):
            certified_on = add_years(today + timedelta(days=certified_on), -3)
        person = people.get(number)
        if person and not IndividualCertification.objects.filter(individual=person, track=track, level=level).exists():
            services.ce_certification_create(
                individual=person, track=track, level=level, certified_on=certified_on, actor=access.SYSTEM
            )
    for number, kind, code, passed_on in EXAMS:
        person = people.get(number)
        if person and not ExamPass.objects.filter(individual=person, exam_code=code).exists():
            services.ce_exam_record(
                individual=person, kind=kind, exam_code=code, passed_on=passed_on, actor=access.SYSTEM
            )
    reviewer = get_user_model().objects.filter(username="staff").first()
    for number, name, credits, start, end, code, decision in CLAIMS:
        person = people.get(number)
        if person is None or CeClaim.objects.filter(validation_code=code).exists():
            continue
        activity = activities.get(name)
        claim = services.ce_claim_submit(
            individual=person,
            activity=activity,
            course_name="" if activity else name,
            credits=credits,
            started_on=start,
            ended_on=end,
            validation_code=code,
            attended_in_full=True,
            certificate=ContentFile(DEMO_PDF, name="certificate.pdf"),
            actor=access.SYSTEM,
        )
        if decision:
            services.ce_claim_review(
                claim=claim,
                decision=decision,
                actor=reviewer or access.SYSTEM,
                reason="The certificate names another course." if decision == "rejected" else "",
            )
    _allocate(people)
    stdout.write("CE credits: catalogue, certifications (Anna's CCNP from 29 Feb 2024), one pending claim to review.")


def _allocate(people):
    """Role allocations that depend on expiring certifications (the specializations demo makes the holdings)."""

    for pid, spec, role_name, numbers in ALLOCATIONS:
        holding = (
            specialization_selectors.partner_specializations()
            .filter(partner__vendor_partner_id=pid, specialization__name=spec)
            .first()
        )
        role = holding and holding.specialization.roles.filter(name=role_name).first()
        if role is None:
            continue
        for number in numbers:
            person = people.get(number)
            if (
                person
                and not specialization_selectors.role_allocations()
                .filter(partner_specialization=holding, role=role, individual=person)
                .exists()
            ):
                role_allocate(partner_specialization=holding, role=role, individual=person, actor=access.SYSTEM)
