"""Factories for CE credits, and build_partner_data for the tenancy walk."""

from datetime import UTC, date, datetime

import factory
from django.core.files.base import ContentFile

from certifications.models import (
    CeActivity,
    CeClaim,
    CertificationPeriod,
    ExamPass,
    IndividualCertification,
)
from core.dates import add_years
from tests.factories import AssociationFactory, IndividualFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_file(size: int | None = None, name: str = "certificate.pdf") -> ContentFile:
    """A real (tiny) PDF, padded to `size` bytes when given."""
    body = PDF if size is None else PDF[:-6] + b"%" * (size - len(PDF)) + PDF[-6:]
    return ContentFile(body, name=name)


class CeActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CeActivity

    title = factory.Sequence(lambda n: f"CE activity {n}")
    activity_type = CeActivity.Type.ONLINE_COURSE
    credits = 12
    cost = 0
    expires_on = date(2030, 12, 31)


class CertificationFactory(factory.django.DjangoModelFactory):
    """A certification with its first period (three years, as the default program says)."""

    class Meta:
        model = IndividualCertification
        skip_postgeneration_save = True

    individual = factory.SubFactory(IndividualFactory)
    track = factory.Sequence(lambda n: f"CCNP Track {n}")
    level = "professional"
    certified_on = date(2024, 3, 10)
    period_starts_on = factory.LazyAttribute(lambda o: o.certified_on)
    expires_on = factory.LazyAttribute(lambda o: add_years(o.certified_on, 3))

    @factory.post_generation
    def first_period(obj, create, extracted, **kwargs):
        if create:
            CertificationPeriod.objects.create(
                certification=obj, starts_on=obj.period_starts_on, expires_on=obj.expires_on
            )


class ExamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamPass

    individual = factory.SubFactory(IndividualFactory)
    kind = "professional"
    exam_code = factory.Sequence(lambda n: f"350-{n:03d}")
    passed_on = date(2025, 1, 15)


class ClaimFactory(factory.django.DjangoModelFactory):
    """An Earned claim by default (earned the day the activity ended)."""

    class Meta:
        model = CeClaim

    individual = factory.SubFactory(IndividualFactory)
    course_name = factory.Sequence(lambda n: f"Course {n}")
    started_on = factory.LazyAttribute(lambda o: o.ended_on)
    ended_on = date(2025, 6, 1)
    validation_code = factory.Sequence(lambda n: f"CODE{n:06d}")
    certificate = factory.django.FileField(data=PDF, filename="certificate.pdf")
    credits = 10
    status = CeClaim.Status.EARNED
    earned_on = factory.LazyAttribute(lambda o: o.ended_on if o.status == CeClaim.Status.EARNED else None)
    rejection_reason = factory.LazyAttribute(lambda o: "Wrong course" if o.status == CeClaim.Status.REJECTED else "")
    submitted_at = datetime(2025, 6, 2, 12, tzinfo=UTC)


def build_partner_data(partner) -> list:
    """One of each CE tenant-owned object for `partner` (through a person currently associated with it)."""
    person = AssociationFactory(
        partner=partner, individual=IndividualFactory(last_name=f"Cevisible{partner.pk}"), start=date(2015, 1, 1)
    ).individual
    cert = CertificationFactory(individual=person, track=f"CE track of {partner.legal_name}")
    return [
        cert,
        cert.periods.get(),
        ExamFactory(individual=person, exam_code=f"EXAM-{partner.vendor_partner_id}"),
        ClaimFactory(
            individual=person,
            course_name=f"CE course of {partner.legal_name}",
            validation_code=f"VC-{partner.vendor_partner_id}",
        ),
    ]
