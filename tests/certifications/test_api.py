"""The CE API: multipart PDF upload, refusals as 400 with field messages, review, progress, renewal."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from certifications.models import CeClaim, IndividualCertification

from .factories import (
    PDF,
    CeActivityFactory,
    CertificationFactory,
    ClaimFactory,
    ExamFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db
MB = 1_048_576


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-20 19:00:00+00:00", tick=False):
        yield


def _claim_data(**overrides):
    data = {
        "course_name": "Python for network engineers",
        "credits": 12,
        "started_on": "2026-05-01",
        "ended_on": "2026-05-03",
        "validation_code": "PY-777",
        "attended_in_full": "true",
        "certificate": SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def _post_claim(client, **overrides):
    return client.post("/api/v1/ce-claims/", _claim_data(**overrides), format="multipart")


def test_member_submits_own_claim_with_multipart_pdf(api, member_a, individual_a):
    response = _post_claim(api(member_a))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["individual"], body["status"], body["credits"], body["validation_code"]) == (
        individual_a.pk,
        "pending",
        12,
        "PY-777",
    )
    pdf = api(member_a).get(body["certificate"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_partner_admin_submits_for_their_individual(api, admin_a, individual_a):
    activity = CeActivityFactory(credits=48)
    response = _post_claim(api(admin_a), individual=individual_a.pk, activity=activity.pk, course_name="", credits="")
    assert response.status_code == 201, response.content
    assert response.json()["credits"] == 48


def test_renamed_text_file_is_a_400_and_nothing_stored(api, member_a):
    fake = SimpleUploadedFile("certificate.pdf", b"just some text\n", content_type="application/pdf")
    response = _post_claim(api(member_a), certificate=fake)
    assert response.status_code == 400
    assert response.json()["certificate"] == [
        "The certificate is not a PDF document (its content is not PDF, whatever its name)."
    ]
    assert not CeClaim.objects.exists()


def test_11_mb_pdf_is_a_400(api, member_a):
    big = SimpleUploadedFile("big.pdf", pdf_file(11 * MB).read(), content_type="application/pdf")
    response = _post_claim(api(member_a), certificate=big)
    assert response.status_code == 400
    assert response.json()["certificate"] == ["The certificate is 11.0 MB; the largest file accepted is 10 MB."]
    assert not CeClaim.objects.exists()


def test_duplicate_code_future_dates_and_end_before_start_are_400(api, member_a):
    assert _post_claim(api(member_a)).status_code == 201
    response = _post_claim(api(member_a), validation_code="py-777", started_on="2026-05-22", ended_on="2026-05-21")
    assert response.status_code == 400
    errors = response.json()
    assert errors["validation_code"] == ["This certificate validation code has already been claimed."]
    assert errors["started_on"] == ["The start date cannot be in the future (today is 2026-05-20)."]
    assert errors["ended_on"] == ["The end date cannot be in the future (today is 2026-05-20)."]
    assert CeClaim.objects.count() == 1


def test_unknown_fields_are_refused(api, member_a):
    response = _post_claim(api(member_a), status="earned")
    assert response.status_code == 400 and response.json() == {"status": ["Unknown field."]}


def test_only_staff_review_and_a_rejection_needs_a_reason(api, staff_user, admin_a, individual_a):
    claim = ClaimFactory(individual=individual_a, status=CeClaim.Status.PENDING)
    url = f"/api/v1/ce-claims/{claim.pk}/review/"
    assert api(admin_a).post(url, {"decision": "earned"}).status_code == 403
    response = api(staff_user).post(url, {"decision": "rejected"})
    assert response.status_code == 400 and "reason" in response.json()
    response = api(staff_user).post(url, {"decision": "rejected", "reason": "Course not eligible"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", "Course not eligible")
    assert response.json()["status_label"] == "Rejected"


def test_certification_progress_and_renewal_through_the_api(api, admin_a, individual_a):
    response = api(admin_a).post(
        "/api/v1/ce-certifications/",
        {"individual": individual_a.pk, "track": "CCIE Enterprise", "level": "expert", "certified_on": "2023-05-01"},
    )
    assert response.status_code == 201, response.content
    cert = response.json()
    assert cert["expires_on"] == "2026-05-01"
    assert cert["progress"]["status"] == "lapsed" and cert["progress"]["days_left"] == -19
    assert cert["progress"]["status_label"] == "Lapsed"
    ClaimFactory(individual=individual_a, credits=40, ended_on=date(2025, 1, 1))
    exam = api(admin_a).post(
        "/api/v1/ce-exams/", {"individual": individual_a.pk, "kind": "technology", "passed_on": "2025-03-01"}
    )
    assert exam.status_code == 201
    progress = api(admin_a).get(f"/api/v1/ce-certifications/{cert['id']}/progress/?as_of=2026-04-01").json()
    assert [p["text"] for p in progress["paths"]] == [
        "40/120 CE",
        "40/40 CE + 1/1 technology exam",
        "40/40 CE + 0/2 professional exams",
        "40/80 CE + 0/1 professional exam",
    ]
    assert progress["closest"]["label"] == "40 CE + 1 technology exam" and progress["renewable"]
    assert progress["days_left"] == 30
    renewed = api(admin_a).post(f"/api/v1/ce-certifications/{cert['id']}/renew/", {})
    assert renewed.status_code == 200, renewed.content
    assert (renewed.json()["period_starts_on"], renewed.json()["expires_on"]) == ("2026-05-20", "2029-05-20")


def test_renewal_refused_lists_the_paths(api, member_a, individual_a):
    cert = CertificationFactory(individual=individual_a, level="associate", certified_on=date(2024, 1, 1))
    ClaimFactory(individual=individual_a, credits=29, ended_on=date(2025, 1, 1))
    response = api(member_a).post(f"/api/v1/ce-certifications/{cert.pk}/renew/", {})
    assert response.status_code == 400
    assert "29/30 CE" in response.json()["certification"][0]


def test_member_cannot_record_certifications_or_exams(api, member_a, individual_a):
    response = api(member_a).post(
        "/api/v1/ce-certifications/",
        {"individual": individual_a.pk, "track": "CCNA", "level": "associate", "certified_on": "2025-01-01"},
    )
    assert response.status_code == 403
    assert not IndividualCertification.objects.exists()


def test_expiring_filter_and_catalogue(api, admin_a, individual_a):
    soon = CertificationFactory(individual=individual_a, certified_on=date(2023, 8, 18))  # 90 days left
    CertificationFactory(individual=individual_a, certified_on=date(2023, 8, 19))  # 91 days left
    rows = api(admin_a).get("/api/v1/ce-certifications/?expiring_within=90").json()["results"]
    assert [r["id"] for r in rows] == [soon.pk]
    CeActivityFactory(title="Old one", expires_on=date(2023, 4, 20))
    CeActivityFactory(title="Current one", expires_on=date(2027, 1, 1))
    titles = [a["title"] for a in api(admin_a).get("/api/v1/ce-activities/?available_on=2026-05-20").json()["results"]]
    assert titles == ["Current one"]
    assert api(admin_a).get("/api/v1/ce-renewal-paths/?level=expert").json()["count"] == 4


def test_an_individual_of_partner_b_is_invisible_to_partner_a_admin(api, admin_a, individual_b):
    cert = CertificationFactory(individual=individual_b)
    exam = ExamFactory(individual=individual_b)
    claim = ClaimFactory(individual=individual_b, status=CeClaim.Status.PENDING)
    client = api(admin_a)
    for url in ("/api/v1/ce-certifications/", "/api/v1/ce-exams/", "/api/v1/ce-claims/"):
        assert client.get(url).json()["count"] == 0
    for url in (
        f"/api/v1/ce-certifications/{cert.pk}/",
        f"/api/v1/ce-certifications/{cert.pk}/progress/",
        f"/api/v1/ce-exams/{exam.pk}/",
        f"/api/v1/ce-claims/{claim.pk}/",
        f"/api/v1/ce-claims/{claim.pk}/certificate/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/ce-certifications/{cert.pk}/renew/", {}).status_code == 404
    assert _post_claim(client, individual=individual_b.pk).status_code == 404
    assert (
        client.post(
            "/api/v1/ce-exams/", {"individual": individual_b.pk, "kind": "professional", "passed_on": "2025-01-01"}
        ).status_code
        == 404
    )
    assert not CeClaim.objects.filter(validation_code="PY-777").exists()
