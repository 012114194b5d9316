"""A partner member sees her own personal events and notices, never a colleague's (issue 11, item 2)."""

from datetime import date
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from certifications import services as ce_services
from core.events import event_record
from core.models import Event, Notice
from partners import access
from tests.factories import AssociationFactory, IndividualFactory, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-03-02 12:00 +00:00", tick=False):
        yield


@pytest.fixture
def colleague(partner_a):
    return AssociationFactory(
        partner=partner_a, individual=IndividualFactory(first_name="Cleo", last_name="Colleaguesson")
    ).individual


def _rejected_claim(person, code):
    claim = ce_services.ce_claim_submit(
        individual=person,
        started_on=date(2026, 2, 1),
        ended_on=date(2026, 2, 2),
        validation_code=code,
        certificate=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
        course_name=f"Course {code}",
        credits=3,
        attended_in_full=True,
        actor=access.SYSTEM,
    )
    return ce_services.ce_claim_review(claim=claim, decision="rejected", reason=f"Reason {code}", actor=access.SYSTEM)


def test_a_member_reads_her_own_notices_not_a_colleagues(api, member_a, admin_a, manager, staff_user, colleague):
    _rejected_claim(colleague, "SECRETCLEO")
    _rejected_claim(member_a.profile.individual, "MINEADA")
    theirs = Notice.objects.get(recipient=colleague.email)
    mine = Notice.objects.get(recipient=member_a.profile.individual.email)
    listed = api(member_a).get("/api/v1/notices/")
    assert listed.status_code == 200
    assert "SECRETCLEO" not in listed.content.decode() and "MINEADA" in listed.content.decode()
    assert api(member_a).get(f"/api/v1/notices/{theirs.pk}/").status_code == 404
    assert api(member_a).get(f"/api/v1/notices/{mine.pk}/").status_code == 200
    for user in (admin_a, manager, staff_user):
        assert api(user).get(f"/api/v1/notices/{theirs.pk}/").status_code == 200


def test_a_member_sees_her_own_events_and_the_partners_not_a_colleagues(
    client, api, partner_a, member_a, admin_a, colleague
):
    ce_services.ce_certification_create(
        individual=colleague,
        track="Cleotrack Secret",
        level="professional",
        certified_on=date(2025, 1, 5),
        actor=access.SYSTEM,
    )
    ce_services.ce_certification_create(
        individual=member_a.profile.individual,
        track="Adatrack Own",
        level="professional",
        certified_on=date(2025, 1, 5),
        actor=access.SYSTEM,
    )
    event_record(kind="partner.updated", summary="Partnerwide news", partner=partner_a)
    client.force_login(member_a)
    for url in (
        f"/api/v1/partners/{partner_a.pk}/timeline/",
        f"/partners/{partner_a.pk}/timeline/",
        f"/partners/{partner_a.pk}/",
    ):
        body = client.get(url).content.decode()
        assert "Cleotrack" not in body, url
        assert "Adatrack Own" in body and "Partnerwide news" in body, url
    admin_timeline = api(admin_a).get(f"/api/v1/partners/{partner_a.pk}/timeline/").content.decode()
    assert "Cleotrack" in admin_timeline


def test_a_member_without_an_individual_sees_no_personal_event(client, partner_a, colleague):
    lone = make_user("partner_member", partner=partner_a, username="member-lone")
    ce_services.ce_exam_record(
        individual=colleague,
        kind="professional",
        passed_on=date(2026, 1, 5),
        exam_code="EXAM-CLEO",
        actor=access.SYSTEM,
    )
    client.force_login(lone)
    assert "passed a" not in client.get(f"/partners/{partner_a.pk}/timeline/").content.decode()


def test_the_migration_back_fills_the_individual_from_the_payload(partner_a, colleague):
    event, _ = event_record(
        kind="ce_exam.recorded", summary="old", partner=partner_a, payload={"individual": colleague.pk}
    )
    partner_wide, _ = event_record(kind="partner.updated", summary="old", partner=partner_a)
    Event.objects.filter(pk=event.pk).update(individual=None)
    import_module("core.migrations.0005_event_individual").individual_from_payload(apps, None)
    assert Event.objects.get(pk=event.pk).individual == colleague
    assert Event.objects.get(pk=partner_wide.pk).individual is None
