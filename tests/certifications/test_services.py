"""Writes: certifications, claims (refusals store nothing), reviews, renewals."""

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from certifications import selectors, services
from certifications.models import CeClaim, CertificationPeriod, IndividualCertification
from core.models import Event, Notice
from partners.access import SYSTEM

from .factories import (
    CeActivityFactory,
    CertificationFactory,
    ClaimFactory,
    ExamFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db
MB = 1_048_576
# Noon UTC is the same calendar day in the program time zone (America/Los_Angeles).
TODAY = date(2026, 5, 20)
NOON = "2026-05-20 19:00:00+00:00"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


def _submit(individual, **overrides):
    fields = {
        "course_name": "Automating networks",
        "credits": 12,
        "started_on": date(2026, 5, 1),
        "ended_on": date(2026, 5, 3),
        "validation_code": "abc-123",
        "certificate": pdf_file(),
        "attended_in_full": True,
    }
    fields.update(overrides)
    return services.ce_claim_submit(individual=individual, **fields, actor=SYSTEM)


def _stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_certification_issued_on_29_february_expires_28_february_three_years_later(individual_a):
    cert = services.ce_certification_create(
        individual=individual_a,
        track="CCNP Enterprise",
        level="professional",
        certified_on=date(2024, 2, 29),
        actor=SYSTEM,
    )
    assert (cert.certified_on, cert.period_starts_on, cert.expires_on) == (
        date(2024, 2, 29),
        date(2024, 2, 29),
        date(2027, 2, 28),
    )
    assert list(cert.periods.values_list("starts_on", "expires_on")) == [(date(2024, 2, 29), date(2027, 2, 28))]
    assert Event.objects.filter(kind="ce_certification.added").count() == 1


def test_certification_in_the_future_or_twice_is_refused(individual_a):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.ce_certification_create(
            individual=individual_a, track="CCNA", level="associate", certified_on=date(2026, 5, 21), actor=SYSTEM
        )
    services.ce_certification_create(
        individual=individual_a, track="CCNA", level="associate", certified_on=date(2026, 5, 20), actor=SYSTEM
    )
    with pytest.raises(ValidationError, match="already holds"):
        services.ce_certification_create(
            individual=individual_a, track="CCNA", level="associate", certified_on=date(2025, 1, 1), actor=SYSTEM
        )
    assert IndividualCertification.objects.count() == 1


def test_claim_is_stored_pending_with_its_certificate(individual_a, settings):
    claim = _submit(individual_a)
    assert claim.status == CeClaim.Status.PENDING and claim.validation_code == "ABC-123"
    assert claim.certificate.read().startswith(b"%PDF-")
    assert claim.certificate.name.startswith(f"ce/certificates/{individual_a.pk}/")
    assert len(_stored_files(settings)) == 1


def test_activity_claim_takes_the_activity_credits(individual_a):
    activity = CeActivityFactory(credits=48, expires_on=date(2026, 5, 3))
    claim = _submit(individual_a, activity=activity, course_name="", credits=None)
    assert (claim.credits, claim.title) == (48, activity.title)


def test_duplicate_validation_code_is_refused_and_nothing_stored(individual_a, individual_b, settings):
    _submit(individual_a, validation_code="DUP-1")
    with pytest.raises(ValidationError) as err:
        _submit(individual_b, validation_code=" dup-1 ")
    assert err.value.message_dict["validation_code"] == ["This certificate validation code has already been claimed."]
    assert CeClaim.objects.count() == 1
    assert len(_stored_files(settings)) == 1


def test_renamed_text_file_uploaded_as_pdf_is_refused_and_nothing_stored(individual_a, settings):
    fake = ContentFile(b"Certificate of completion\nJust text, renamed.\n", name="certificate.pdf")
    with pytest.raises(ValidationError) as err:
        _submit(individual_a, certificate=fake)
    assert err.value.message_dict["certificate"] == [
        "The certificate is not a PDF document (its content is not PDF, whatever its name)."
    ]
    assert not CeClaim.objects.exists() and not _stored_files(settings)


def test_11_mb_pdf_is_refused_and_nothing_stored(individual_a, settings):
    with pytest.raises(ValidationError) as err:
        _submit(individual_a, certificate=pdf_file(11 * MB))
    assert err.value.message_dict["certificate"] == ["The certificate is 11.0 MB; the largest file accepted is 10 MB."]
    assert not CeClaim.objects.exists() and not _stored_files(settings)


def test_a_10_mb_pdf_is_accepted(individual_a):
    assert _submit(individual_a, certificate=pdf_file(10 * MB)).certificate.size == 10 * MB


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"started_on": date(2026, 5, 4)}, "ended_on", "The end date cannot be before the start date."),
        ({"ended_on": date(2026, 5, 21)}, "ended_on", "The end date cannot be in the future (today is 2026-05-20)."),
        (
            {"started_on": date(2026, 5, 21), "ended_on": date(2026, 5, 22)},
            "started_on",
            "The start date cannot be in the future (today is 2026-05-20).",
        ),
        (
            {"attended_in_full": False},
            "attended_in_full",
            "Credits are earned only when the activity was attended for its full duration.",
        ),
        ({"course_name": ""}, "activity", "Choose an activity from the catalogue or give the course name."),
        ({"certificate": None}, "certificate", "Attach the completion certificate (PDF)."),
    ],
)
def test_refusals_store_nothing(individual_a, settings, overrides, field, message):
    with pytest.raises(ValidationError) as err:
        _submit(individual_a, **overrides)
    assert err.value.message_dict[field] == [message]
    assert not CeClaim.objects.exists() and not _stored_files(settings)
    assert not Event.objects.filter(kind="ce_claim.submitted").exists()


def test_activity_completed_after_its_expiration_date_is_refused(individual_a, settings):
    activity = CeActivityFactory(title="Rev Up to Recert: Python", credits=15, expires_on=date(2026, 5, 2))
    with pytest.raises(ValidationError) as err:
        _submit(individual_a, activity=activity, ended_on=date(2026, 5, 3))
    assert err.value.message_dict["activity"] == [
        "This activity expired on 2026-05-02; a completion after that date earns no credits."
    ]
    assert not CeClaim.objects.exists() and not _stored_files(settings)


def test_pending_and_rejected_claims_do_not_count(individual_a, staff_user):
    cert = CertificationFactory(individual=individual_a, certified_on=date(2024, 3, 10))
    ClaimFactory(individual=individual_a, credits=30, ended_on=date(2025, 5, 1))
    ClaimFactory(individual=individual_a, credits=20, ended_on=date(2025, 5, 2), status=CeClaim.Status.PENDING)
    ClaimFactory(individual=individual_a, credits=40, ended_on=date(2025, 5, 3), status=CeClaim.Status.REJECTED)
    assert selectors.certification_progress(cert, as_of=TODAY).paths[0].text == "30/80 CE"
    pending = _submit(individual_a, credits=50)
    services.ce_claim_review(claim=pending, decision="rejected", reason="Not a CE item", actor=staff_user)
    assert selectors.certification_progress(cert, as_of=TODAY).credits == 30


def test_review_earns_credits_and_notifies_once(
    individual_a, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    cert = CertificationFactory(individual=individual_a, certified_on=date(2024, 3, 10))
    claim = _submit(individual_a, credits=45)
    assert selectors.certification_progress(cert, as_of=TODAY).credits == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.ce_claim_review(claim=claim, decision="earned", actor=staff_user)
    progress = selectors.certification_progress(cert, as_of=TODAY)
    assert (progress.credits, progress.paths[0].text) == (45, "45/80 CE")
    with pytest.raises(ValidationError, match="already reviewed"):
        services.ce_claim_review(claim=claim, decision="rejected", reason="x", actor=staff_user)
    notices = Notice.objects.filter(event__kind="ce_claim.reviewed")
    assert [n.recipient for n in notices] == [individual_a.email]
    assert "is earned" in notices[0].subject
    assert len(mailoutbox) == 1 and "45 CE credits" in mailoutbox[0].body


def test_rejection_needs_a_reason_and_tells_it(
    individual_a, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    claim = _submit(individual_a)
    with pytest.raises(ValidationError) as err:
        services.ce_claim_review(claim=claim, decision="rejected", reason="  ", actor=staff_user)
    assert "reason" in err.value.message_dict
    claim.refresh_from_db()
    assert claim.status == CeClaim.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        services.ce_claim_review(
            claim=claim, decision="rejected", reason="The certificate names another person.", actor=staff_user
        )
    assert "The certificate names another person." in mailoutbox[0].body


def test_renewal_before_expiry_starts_from_the_old_expiry(individual_a):
    cert = CertificationFactory(individual=individual_a, certified_on=date(2023, 6, 1))  # expires 2026-06-01
    ClaimFactory(individual=individual_a, credits=80, ended_on=date(2026, 1, 10))
    services.ce_certification_renew(certification=cert, actor=SYSTEM)
    cert.refresh_from_db()
    assert (cert.period_starts_on, cert.expires_on) == (date(2026, 6, 2), date(2029, 6, 1))
    old = cert.periods.get(starts_on=date(2023, 6, 1))
    assert old.renewed_on == TODAY and old.renewal_path.ce_credits == 80
    assert Event.objects.filter(kind="ce_certification.renewed").count() == 1


def test_renewal_after_a_lapse_starts_from_the_renewal_date(individual_a):
    cert = CertificationFactory(individual=individual_a, certified_on=date(2023, 3, 10))  # lapsed after 2026-03-10
    ClaimFactory(individual=individual_a, credits=40, ended_on=date(2025, 8, 1))
    ExamFactory(individual=individual_a, kind="professional", passed_on=date(2026, 4, 2))  # after the expiry
    assert selectors.certification_progress(cert, as_of=TODAY).lapsed
    services.ce_certification_renew(certification=cert, renewed_on=date(2026, 5, 15), actor=SYSTEM)
    cert.refresh_from_db()
    assert (cert.period_starts_on, cert.expires_on) == (date(2026, 5, 15), date(2029, 5, 15))
    assert list(cert.periods.values_list("starts_on", "expires_on", "renewed_on")) == [
        (date(2023, 3, 10), date(2026, 3, 10), date(2026, 5, 15)),
        (date(2026, 5, 15), date(2029, 5, 15), None),
    ]
    fresh = selectors.certification_progress(cert, as_of=TODAY)
    assert (fresh.credits, fresh.exams, fresh.lapsed, fresh.days_left) == (0, {}, False, 1091)


def test_renewal_without_a_met_path_is_refused_with_what_is_missing(individual_a):
    cert = CertificationFactory(individual=individual_a, level="expert", certified_on=date(2023, 9, 1))
    ClaimFactory(individual=individual_a, credits=79, ended_on=date(2025, 8, 1))
    ExamFactory(individual=individual_a, kind="professional", passed_on=date(2025, 9, 1))
    with pytest.raises(ValidationError) as err:
        services.ce_certification_renew(certification=cert, actor=SYSTEM)
    message = err.value.message_dict["certification"][0]
    assert (
        "79/120 CE; 40/40 CE + 0/1 technology exam; 40/40 CE + 1/2 professional exams; "
        "79/80 CE + 1/1 professional exam" in message
    )
    assert "Needs 1 more CE credit for 80 CE + 1 professional exam." in message
    assert CertificationPeriod.objects.filter(certification=cert).count() == 1


def test_every_expert_path_from_the_seeded_policy_rows(individual_a):
    """The data migration ships the Expert row of RULES 8.1 as four paths."""
    cert = CertificationFactory(individual=individual_a, level="expert", certified_on=date(2024, 1, 1))
    labels = [p.path.label for p in selectors.certification_progress(cert, as_of=TODAY).paths]
    assert labels == [
        "120 CE",
        "40 CE + 1 technology exam",
        "40 CE + 2 professional exams",
        "80 CE + 1 professional exam",
    ]
    ExamFactory(individual=individual_a, kind="technology", passed_on=date(2025, 2, 1))
    ClaimFactory(individual=individual_a, credits=39, ended_on=date(2025, 3, 1))
    assert not selectors.certification_progress(cert, as_of=TODAY).renewable
    ClaimFactory(individual=individual_a, credits=1, ended_on=date(2025, 3, 2))
    progress = selectors.certification_progress(cert, as_of=TODAY)
    assert progress.renewable and progress.closest.path.label == "40 CE + 1 technology exam"


def test_credits_the_day_before_and_after_a_renewed_period_boundary(individual_a):
    cert = CertificationFactory(individual=individual_a, certified_on=date(2023, 5, 20))  # expires 2026-05-20
    ClaimFactory(individual=individual_a, credits=80, ended_on=date(2026, 5, 20))  # last day of the old period
    services.ce_certification_renew(certification=cert, actor=SYSTEM)
    ClaimFactory(individual=individual_a, credits=5, ended_on=date(2026, 5, 21))  # first day of the new period
    cert.refresh_from_db()
    assert cert.period_starts_on == date(2026, 5, 21)
    assert selectors.certification_progress(cert, as_of=date(2026, 5, 20)).credits == 80
    assert selectors.certification_progress(cert, as_of=date(2026, 5, 21)).credits == 5


def test_seeded_levels_and_policy(db):
    from certifications.models import CeRenewalPath

    rows = {(p.level, str(p)) for p in CeRenewalPath.objects.all()}
    assert ("associate", "Associate: 30 CE") in rows and ("specialist", "Specialist: 40 CE") in rows
    assert {str(p) for p in CeRenewalPath.objects.filter(level="professional")} == {
        "Professional: 80 CE",
        "Professional: 40 CE + 1 professional exam",
    }
    policy = selectors.policy_for(TODAY)
    assert (
        policy.period_years,
        policy.first_reminder_days,
        policy.second_reminder_days,
        policy.certificate_max_bytes,
    ) == (3, 90, 30, 10 * MB)
