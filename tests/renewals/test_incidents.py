"""Non-compliance incidents: acknowledgement, extension and revocation on their exact days."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core.models import Event
from renewals.models import NonComplianceIncident
from renewals.services import incidents

OPENED = date(2026, 3, 1)


def run(day):
    call_command("run_daily", as_of=day.isoformat(), no_recompute=True, stdout=StringIO())


def at(day):
    return time_machine.travel(f"{day.isoformat()} 19:00:00+00:00", tick=False)


@pytest.fixture
def incident(held, verdicts):
    verdicts.fail(held)
    run(OPENED)
    return NonComplianceIncident.objects.get()


def refresh(obj):
    obj.refresh_from_db()
    return obj


def test_acknowledged_on_the_last_day_is_in_time(incident, people):
    with at(date(2026, 3, 31)):
        incidents.incident_acknowledge(incident=incident, actor=people["admin"])
    event = Event.objects.get(kind="incident.acknowledged")
    assert event.payload["late"] is False and "late" not in event.summary


def test_extension_holds_through_its_last_day_then_flags(incident, people, api):
    with at(date(2026, 3, 10)):
        response = api(people["admin"]).post(f"/api/v1/incidents/{incident.pk}/acknowledge/")
        assert response.status_code == 200 and response.json()["acknowledged_by"] == "admin-a"
        assert (
            api(people["admin"]).post(f"/api/v1/incidents/{incident.pk}/extend/", {"until": "2026-05-15"}).status_code
            == 403
        )
        response = api(people["manager"]).post(f"/api/v1/incidents/{incident.pk}/extend/", {"until": "2026-05-15"})
        assert response.status_code == 200 and response.json()["extension_end"] == "2026-05-15"
    run(date(2026, 4, 1))  # past the 30 days, but extended
    run(date(2026, 5, 15))
    assert refresh(incident).flagged_for_revocation_on is None
    run(date(2026, 5, 16))
    assert refresh(incident).flagged_for_revocation_on == date(2026, 5, 16)


def test_acknowledged_without_an_extension_is_flagged_after_the_30_days(incident, people):
    with at(date(2026, 3, 5)):
        incidents.incident_acknowledge(incident=incident, actor=people["admin"])
    run(date(2026, 3, 31))
    assert refresh(incident).flagged_for_revocation_on is None
    run(date(2026, 4, 1))
    assert refresh(incident).flagged_for_revocation_on == date(2026, 4, 1)


def test_no_extension_without_acknowledgement(incident, people):
    with at(date(2026, 3, 5)), pytest.raises(ValidationError) as exc:
        incidents.incident_extend(incident=incident, actor=people["manager"], until=date(2026, 5, 1))
    assert "not acknowledged" in exc.value.message_dict["until"][0]


def test_staff_confirm_revocation_of_a_flagged_credential(incident, people, staff_user, held, client):
    run(date(2026, 4, 1))
    with pytest.raises(PermissionDenied):
        incidents.revocation_confirm(incident=refresh(incident), actor=people["manager"])
    client.force_login(staff_user)
    page = client.get(f"/incidents/{incident.pk}/")
    assert "Confirm revocation" in page.content.decode()
    client.post(f"/incidents/{incident.pk}/", {"action": "revoke"})
    assert refresh(held).status == "revoked"
    assert refresh(incident).resolution == "revoked"
    assert Event.objects.filter(kind="credential.revoked", partner=held.partner).exists()


def test_incident_pages_show_deadlines_and_hide_other_partners(incident, client, people, admin_b):
    client.force_login(people["admin"])
    listing = client.get("/incidents/?state=open").content.decode()
    assert "2026-03-31" in listing and incident.credential.title in listing
    detail = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Acknowledge the non-compliance" in detail and "Continuous Learning points" in detail
    client.post(f"/incidents/{incident.pk}/", {"action": "acknowledge"})
    assert refresh(incident).acknowledged_by == people["admin"]
    client.force_login(admin_b)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert incident.credential.title not in client.get("/incidents/").content.decode()


def test_a_lapsed_credential_closes_its_incident(incident, held):
    run(date(2026, 9, 1))  # 31 days after the anniversary on 2026-08-01
    assert refresh(held).status == "lapsed"
    assert (refresh(incident).closed_on, incident.resolution) == (date(2026, 9, 1), "ended")
