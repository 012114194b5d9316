"""Renewal submission (page and API) and approval."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core.models import Notice
from renewals.models import RenewalApplication
from renewals.services import applications

ANN = date(2026, 8, 1)


def at(day):
    return time_machine.travel(date_noon(day), tick=False)


def date_noon(day):
    return f"{day.isoformat()} 19:00:00+00:00"  # noon in Los Angeles, the same date in UTC


def refresh(obj):
    obj.refresh_from_db()
    return obj


def url(held):
    return f"/renewals/partnerspecialization/{held.pk}/"


def scan(day, capture, deliver=True):
    with capture(execute=deliver):
        call_command("run_daily", as_of=day.isoformat(), no_recompute=True, stdout=StringIO())


def test_page_refuses_submission_listing_the_unmet_requirements(client, held, people, verdicts):
    verdicts.fail(held, "Hybrid IT", "No Hybrid IT service is recorded yet.")
    client.force_login(people["admin"])
    with at(ANN - timedelta(days=20)):
        page = client.get(url(held))
        assert "No Hybrid IT service is recorded yet." in page.content.decode()
        response = client.post(url(held))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not every requirement is met yet." in body and "Hybrid IT: No Hybrid IT service is recorded yet." in body
    assert not RenewalApplication.objects.exists()


def test_api_refuses_submission_listing_the_unmet_requirements(api, held, people, verdicts):
    verdicts.fail(held, "Hybrid IT", "No Hybrid IT service is recorded yet.")
    with at(ANN - timedelta(days=20)):
        response = api(people["admin"]).post(
            "/api/v1/renewal-applications/", {"kind": "partnerspecialization", "credential": held.pk}
        )
    assert response.status_code == 400
    assert response.json()["requirements"] == [
        "Not every requirement is met yet.",
        "Hybrid IT: No Hybrid IT service is recorded yet.",
    ]


def test_submission_before_the_window_is_refused(api, held, people):
    with at(ANN - timedelta(days=91)):
        response = api(people["admin"]).post(
            "/api/v1/renewal-applications/", {"kind": "partnerspecialization", "credential": held.pk}
        )
    assert response.status_code == 400
    assert "opens on 2026-05-03" in response.json()["credential"][0]


def test_unknown_fields_and_other_partners_credentials_are_refused(api, held, admin_b):
    assert (
        api(admin_b)
        .post("/api/v1/renewal-applications/", {"kind": "partnerspecialization", "credential": held.pk})
        .status_code
        == 400
    )
    assert api(admin_b).get(f"/api/v1/renewals/partnerspecialization/{held.pk}/").status_code == 404
    response = api(admin_b).post("/api/v1/renewal-applications/", {"kind": "x", "credential": 1, "extra": 1})
    assert response.json() == {"extra": ["Unknown field."]}


def test_member_cannot_submit(api, held, people):
    with at(ANN - timedelta(days=20)):
        response = api(people["member"]).post(
            "/api/v1/renewal-applications/", {"kind": "partnerspecialization", "credential": held.pk}
        )
    assert response.status_code == 403


def test_submit_then_approve_moves_the_anniversary_and_cancels_pending_reminders(
    client, api, held, people, django_capture_on_commit_callbacks
):
    scan(ANN - timedelta(days=90), django_capture_on_commit_callbacks)
    scan(ANN - timedelta(days=30), django_capture_on_commit_callbacks)
    scan(ANN - timedelta(days=7), django_capture_on_commit_callbacks, deliver=False)  # queued, not yet sent
    sent = Notice.objects.get(event__kind="renewal.reminded", event__payload__days=30)
    reminder = Notice.objects.get(event__kind="renewal.reminded", event__payload__days=7)
    assert (sent.status, reminder.status) == (Notice.SENT, Notice.PENDING)
    client.force_login(people["admin"])
    with at(ANN - timedelta(days=5)):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(held), follow=True)
        assert "Renewal submitted" in response.content.decode()
        application = RenewalApplication.objects.get()
        assert application.verdict == {"compliant": True, "unmet": []}
        assert mail.outbox[-1].to == ["manager-a@example.com"]
        response = api(people["admin"]).post(f"/api/v1/renewal-applications/{application.pk}/approve/", {})
        assert response.status_code == 403  # a partner admin does not approve its own renewal
        response = api(people["manager"]).post(
            f"/api/v1/renewal-applications/{application.pk}/approve/", {"note": "All good"}
        )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    held = refresh(held)
    assert (held.status, held.anniversary, held.last_renewed_on) == ("approved", date(2027, 8, 1), ANN)
    assert refresh(reminder).status == Notice.CANCELLED
    assert refresh(sent).status == Notice.SENT
    assert Notice.objects.filter(event__kind="renewal.approved", recipient="admin-a@example.com").exists()
    scan(ANN + timedelta(days=31), django_capture_on_commit_callbacks)
    assert refresh(held).status == "approved"  # renewed: no lapse


def test_renewal_after_a_lapse_starts_the_new_period_on_the_renewal_date(
    held, people, django_capture_on_commit_callbacks
):
    scan(ANN + timedelta(days=31), django_capture_on_commit_callbacks)
    assert refresh(held).status == "lapsed"
    renewal_day = date(2026, 10, 20)
    application = applications.renewal_submit(credential=held, actor=people["admin"], as_of=renewal_day)
    with at(date(2026, 10, 25)):
        applications.renewal_approve(application=application, actor=people["manager"])
    held = refresh(held)
    assert (held.status, held.certified_on, held.last_renewed_on, held.anniversary) == (
        "approved",
        renewal_day,
        renewal_day,
        date(2027, 10, 20),
    )


def test_reject_needs_a_reason_and_a_new_application_may_follow(held, people):
    application = applications.renewal_submit(credential=held, actor=people["admin"], as_of=ANN)
    with pytest.raises(ValidationError):
        applications.renewal_reject(application=application, actor=people["manager"], note=" ")
    applications.renewal_reject(
        application=application, actor=people["manager"], note="Support lab evidence is unclear"
    )
    assert applications.renewal_submit(credential=held, actor=people["admin"], as_of=ANN).status == "submitted"
    with pytest.raises(ValidationError):
        applications.renewal_submit(credential=held, actor=people["admin"], as_of=ANN)


def test_only_the_partners_own_manager_or_staff_decide(held, people, staff_user):
    from tests.factories import make_user

    other_manager = make_user("account_manager", username="other-manager")
    application = applications.renewal_submit(credential=held, actor=people["admin"], as_of=ANN)
    with pytest.raises(PermissionDenied):
        applications.renewal_approve(application=application, actor=other_manager)
    applications.renewal_approve(application=application, actor=staff_user, as_of=ANN)


def test_an_application_submitted_after_the_last_day_renews_as_after_a_lapse(held, people):
    application = applications.renewal_submit(credential=held, actor=people["admin"], as_of=ANN + timedelta(days=31))
    call_command("run_daily", as_of=(ANN + timedelta(days=31)).isoformat(), no_recompute=True, stdout=StringIO())
    assert refresh(held).status == "lapsed"  # a late application does not save it
    with at(ANN + timedelta(days=35)):
        applications.renewal_approve(application=application, actor=people["manager"])
    held = refresh(held)
    assert (held.status, held.anniversary) == ("approved", date(2027, 9, 1))


def test_manager_approves_on_the_renewal_page(client, held, people):
    application = applications.renewal_submit(credential=held, actor=people["admin"], as_of=ANN)
    client.force_login(people["manager"])
    with at(ANN):
        page = client.get(url(held)).content.decode()
        assert "awaits review" in page and 'value="approve"' in page
        response = client.post(
            f"/renewals/applications/{application.pk}/decide/", {"decision": "approve", "note": "Checked"}, follow=True
        )
    assert "Renewal approved." in response.content.decode()
    assert refresh(held).anniversary == date(2027, 8, 1)
    client.force_login(people["admin"])
    assert client.post(f"/renewals/applications/{application.pk}/decide/", {"decision": "approve"}).status_code == 403
