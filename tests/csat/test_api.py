from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from csat.models import SurveyResponse
from tests.csat.factories import SurveyResponseFactory
from tests.factories import TerritoryFactory


@pytest.fixture
def germany(partner_a, partner_b):
    t = TerritoryFactory(code="DE", name="Germany")
    partner_a.territories.add(t)
    partner_b.territories.add(t)
    return t


def test_responses_are_scoped_and_follow_ups_recorded_by_the_partner_admin(api, admin_a, admin_b, partner_a, germany):
    low = SurveyResponseFactory(partner=partner_a, territory=germany, score=4, received_on=date(2025, 12, 1))
    assert api(admin_a).get("/api/v1/csat-responses/?needs_follow_up=true").json()["count"] == 1
    assert api(admin_b).get(f"/api/v1/csat-responses/{low.pk}/").status_code == 404
    assert api(admin_b).post("/api/v1/csat-follow-ups/", {"response": low.pk, "note": "x"}).status_code == 404
    created = api(admin_a).post(
        "/api/v1/csat-follow-ups/", {"response": low.pk, "note": "Visited the customer", "recorded_on": "2025-12-05"}
    )
    assert created.status_code == 201
    assert api(admin_a).get("/api/v1/csat-responses/?needs_follow_up=true").json()["count"] == 0
    assert api(admin_b).get("/api/v1/csat-follow-ups/").json()["count"] == 0
    assert api(admin_a).post("/api/v1/csat-responses/", {}).status_code == 403


@time_machine.travel("2026-02-10 12:00Z")
def test_staff_import_csv_through_the_api(api, staff_user, partner_a, germany):
    text = (
        f"partner,country,customer,received_on,score\n{partner_a.vendor_partner_id},DE,Contoso,2026-01-05,8\n"
        f"{partner_a.vendor_partner_id},DE,Fabrikam,2026-01-05,0\n"
    ).encode()
    bad = api(staff_user).post(
        "/api/v1/csat-responses/import/",
        {"file": SimpleUploadedFile("r.csv", text), "dry_run": "false"},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["line"] == 3
    assert not SurveyResponse.objects.exists()
    good = text.rsplit(b"\n", 2)[0] + b"\n"
    dry = api(staff_user).post(
        "/api/v1/csat-responses/import/", {"file": SimpleUploadedFile("r.csv", good)}, format="multipart"
    )
    assert dry.status_code == 200 and dry.json()["ok"] and not SurveyResponse.objects.exists()  # a good dry run
    ok = api(staff_user).post(
        "/api/v1/csat-responses/import/",
        {"file": SimpleUploadedFile("r.csv", good), "dry_run": "false"},
        format="multipart",
    )
    assert ok.status_code == 201 and ok.json()["created"] == 1


def test_staff_create_and_invalidate_a_response_and_move_a_measurement_date(api, staff_user, partner_a, germany):
    created = api(staff_user).post(
        "/api/v1/csat-responses/",
        {"partner": partner_a.pk, "country": "DE", "customer": "Contoso", "received_on": "2025-06-01", "score": None},
    )
    assert created.status_code == 201 and created.json()["score"] is None
    pk = created.json()["id"]
    assert api(staff_user).patch(f"/api/v1/csat-responses/{pk}/", {"valid": False}).json()["valid"] is False
    md = api(staff_user).get("/api/v1/csat-measurement-dates/?fiscal_year=2026").json()["results"][0]
    moved = api(staff_user).patch(f"/api/v1/csat-measurement-dates/{md['id']}/", {"date": "2026-01-30"})
    assert moved.json()["date"] == "2026-01-30"
