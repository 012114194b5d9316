"""The CE pages: the individual's own page, the partner admin's people view, the reviewer's queue."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certifications.models import CeClaim
from tests.factories import AssociationFactory, IndividualFactory

from .factories import PDF, CertificationFactory, ClaimFactory, ExamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-20 19:00:00+00:00", tick=False):
        yield


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_member_sees_own_page_with_paths_and_submits_a_claim(member_a, individual_a):
    CertificationFactory(individual=individual_a, track="CCNP Enterprise", certified_on=date(2024, 2, 29))
    ClaimFactory(individual=individual_a, credits=45, ended_on=date(2025, 1, 1))
    client = _client(member_a)
    assert client.get("/learning/ce/").url == f"/learning/ce/individuals/{individual_a.pk}/"
    page = client.get(f"/learning/ce/individuals/{individual_a.pk}/").content.decode()
    assert "CCNP Enterprise" in page and "2024-02-29 to 2027-02-28" in page  # ISO dates across the portal
    assert "45/80 CE" in page and "40/40 CE + 0/1 professional exam" in page
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    response = client.post(
        f"/learning/ce/individuals/{individual_a.pk}/claims/new/",
        {
            "course_name": "Automation bootcamp",
            "credits": "16",
            "started_on": "2026-05-04",
            "ended_on": "2026-05-06",
            "validation_code": "BOOT-1",
            "attended_in_full": "on",
            "certificate": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    assert CeClaim.objects.get(validation_code="BOOT-1").status == "pending"


def test_submit_form_shows_the_refusal_and_stores_nothing(member_a, individual_a):
    response = _client(member_a).post(
        f"/learning/ce/individuals/{individual_a.pk}/claims/new/",
        {
            "course_name": "Automation bootcamp",
            "credits": "16",
            "started_on": "2026-05-04",
            "ended_on": "2026-05-06",
            "validation_code": "BOOT-2",
            "attended_in_full": "on",
            "certificate": SimpleUploadedFile("c.pdf", b"plain text pretending", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "The certificate is not a PDF document" in response.content.decode()
    assert not CeClaim.objects.exists()


def test_member_cannot_see_a_colleague(member_a, partner_a):
    colleague = AssociationFactory(partner=partner_a, individual=IndividualFactory()).individual
    assert _client(member_a).get(f"/learning/ce/individuals/{colleague.pk}/").status_code == 404


def test_partner_admin_people_view_lists_certifications_and_what_expires(admin_a, partner_a, individual_a):
    CertificationFactory(individual=individual_a, track="CCNA Soon", level="associate", certified_on=date(2023, 8, 18))
    CertificationFactory(individual=individual_a, track="CCNP Later", certified_on=date(2024, 8, 19))
    page = _client(admin_a).get(f"/learning/ce/partners/{partner_a.pk}/people/").content.decode()
    expiring = page[page.index("Expiring in the next 90 days") : page.index("<h2>People</h2>")]
    assert "CCNA Soon" in expiring and "CCNP Later" not in expiring
    assert "0/30 CE" in expiring
    assert "CCNP Later" in page[page.index("<h2>People</h2>") :]


def test_the_people_page_and_a_persons_page_speak_the_status_language(admin_a, partner_a, individual_a):
    CertificationFactory(individual=individual_a, track="CCNA Soon", level="associate", certified_on=date(2023, 8, 18))
    CertificationFactory(individual=individual_a, track="CCNP Later", certified_on=date(2024, 8, 19))
    CertificationFactory(individual=individual_a, track="CCIE Gone", certified_on=date(2023, 1, 10))
    ClaimFactory(individual=individual_a, status=CeClaim.Status.REJECTED, rejection_reason="No certificate")
    client = _client(admin_a)
    people = client.get(f"/learning/ce/partners/{partner_a.pk}/people/").content.decode()
    people = people[people.index("<h2>People</h2>") :]
    assert 'href="/help/#individual-expiring"' in people and ">Expires soon: 90 days left</a>" in people
    assert 'href="/help/#individual-active"' in people and 'href="/help/#individual-lapsed"' in people
    own = client.get(f"/learning/ce/individuals/{individual_a.pk}/").content.decode()
    assert ">Expires soon: 90 days left</a>" in own and ">Lapsed</a>" in own
    assert 'class="badge bad" href="/help/#claim-rejected"' in own
    help_page = client.get("/help/").content.decode()
    assert 'id="individual-expiring"' in help_page and 'id="claim-pending"' in help_page


def test_people_view_uses_a_constant_number_of_queries(admin_a, partner_a, django_assert_max_num_queries):
    def add_people(n):
        for _ in range(n):
            person = AssociationFactory(partner=partner_a, individual=IndividualFactory()).individual
            CertificationFactory(individual=person, certified_on=date(2023, 8, 1))
            ClaimFactory(individual=person)
            ExamFactory(individual=person)

    client = _client(admin_a)
    add_people(2)
    with django_assert_max_num_queries(23) as few:  # 22, and which people the user may open
        client.get(f"/learning/ce/partners/{partner_a.pk}/people/")
    add_people(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/learning/ce/partners/{partner_a.pk}/people/").status_code == 200


def test_review_queue_is_for_staff_with_filters_and_review(staff_user, admin_a, individual_a, individual_b):
    waiting = ClaimFactory(individual=individual_a, course_name="Waiting course", status=CeClaim.Status.PENDING)
    ClaimFactory(individual=individual_b, course_name="Done course")
    assert _client(admin_a).get("/learning/ce/review/").status_code == 403
    client = _client(staff_user)
    page = client.get("/learning/ce/review/").content.decode()
    assert "Waiting course" in page and "Done course" not in page
    page = client.get("/learning/ce/review/?status=earned").content.decode()
    assert "Done course" in page and "Waiting course" not in page
    response = client.post(f"/learning/ce/claims/{waiting.pk}/review/", {"decision": "rejected", "reason": ""})
    assert response.status_code == 400 and "Say why the claim is rejected" in response.content.decode()
    response = client.post(f"/learning/ce/claims/{waiting.pk}/review/", {"decision": "earned"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "earned" and waiting.earned_on == date(2026, 5, 20)


def test_renew_button_renews_when_a_path_is_met(member_a, individual_a):
    cert = CertificationFactory(individual=individual_a, level="associate", certified_on=date(2023, 6, 1))
    ClaimFactory(individual=individual_a, credits=30, ended_on=date(2025, 1, 1))
    client = _client(member_a)
    assert "Renew now" in client.get(f"/learning/ce/individuals/{individual_a.pk}/").content.decode()
    client.post(f"/learning/ce/certifications/{cert.pk}/renew/")
    cert.refresh_from_db()
    assert (cert.period_starts_on, cert.expires_on) == (date(2026, 6, 2), date(2029, 6, 1))


def test_admin_records_a_certification_and_an_exam(admin_a, individual_a):
    client = _client(admin_a)
    client.post(
        f"/learning/ce/individuals/{individual_a.pk}/certifications/new/",
        {"track": "CCNP Security", "level": "professional", "certified_on": "2024-02-29"},
    )
    client.post(
        f"/learning/ce/individuals/{individual_a.pk}/exams/new/",
        {"kind": "professional", "exam_code": "350-701", "passed_on": "2025-02-01"},
    )
    page = client.get(f"/learning/ce/individuals/{individual_a.pk}/").content.decode()
    assert "CCNP Security" in page and "350-701" in page and "40/40 CE + 0/1 professional exam" not in page
    assert "0/40 CE + 1/1 professional exam" in page


def test_an_individual_of_partner_b_is_invisible_on_partner_a_admin_pages(admin_a, partner_b, individual_b):
    cert = CertificationFactory(individual=individual_b, track="Secret B track")
    claim = ClaimFactory(individual=individual_b, course_name="Secret B course")
    client = _client(admin_a)
    for url in (
        f"/learning/ce/individuals/{individual_b.pk}/",
        f"/learning/ce/claims/{claim.pk}/",
        f"/learning/ce/claims/{claim.pk}/certificate/",
        f"/learning/ce/partners/{partner_b.pk}/people/",
        f"/learning/ce/individuals/{individual_b.pk}/claims/new/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/learning/ce/certifications/{cert.pk}/renew/").status_code == 404
    page = client.get("/learning/ce/activities/").content.decode()
    assert "Secret B" not in page


def test_individual_page_shows_progress_as_of_another_day(member_a, individual_a):
    CertificationFactory(individual=individual_a, track="CCNP Enterprise", certified_on=date(2024, 3, 10))
    ClaimFactory(individual=individual_a, credits=45, ended_on=date(2025, 6, 1))
    client = _client(member_a)
    assert "0/80 CE" in client.get(f"/learning/ce/individuals/{individual_a.pk}/?as_of=2025-05-31").content.decode()
    assert "45/80 CE" in client.get(f"/learning/ce/individuals/{individual_a.pk}/?as_of=2025-06-01").content.decode()
