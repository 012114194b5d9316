from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from csat.models import FollowUp, SurveyResponse
from tests.csat.factories import SurveyResponseFactory
from tests.factories import TerritoryFactory


def test_partner_page_lists_responses_and_admin_records_a_follow_up(client, admin_a, admin_b, partner_a):
    germany = TerritoryFactory(code="DE", name="Germany")
    low = SurveyResponseFactory(
        partner=partner_a, territory=germany, score=3, customer="Contoso", received_on=date(2025, 12, 1)
    )
    client.force_login(admin_a)
    html = client.get(f"/partners/{partner_a.pk}/csat/").content.decode()
    assert "Contoso" in html and "Record follow-up" in html
    response = client.post(f"/csat/responses/{low.pk}/follow-up/", {"recorded_on": "2025-12-03", "note": "Called"})
    assert response.status_code == 302 and FollowUp.objects.get().recorded_on == date(2025, 12, 3)
    client.force_login(admin_b)
    assert client.get(f"/partners/{partner_a.pk}/csat/").status_code == 404
    assert client.get(f"/csat/responses/{low.pk}/follow-up/").status_code == 404


@time_machine.travel("2026-02-10 12:00Z")
def test_import_page_dry_run_then_import(client, staff_user, admin_a, partner_a):
    partner_a.territories.add(TerritoryFactory(code="DE", name="Germany"))
    text = f"partner,country,customer,received_on,score\n{partner_a.vendor_partner_id},DE,Contoso,2026-01-05,8\n"
    client.force_login(admin_a)
    assert client.get("/csat/import/").status_code == 403
    client.force_login(staff_user)
    html = client.post(
        "/csat/import/", {"file": SimpleUploadedFile("r.csv", text.encode()), "dry_run": "on"}
    ).content.decode()
    assert "1 row is correct." in html and not SurveyResponse.objects.exists()
    bad = client.post("/csat/import/", {"file": SimpleUploadedFile("r.csv", (text + "X,DE,Y,2026-01-05,8\n").encode())})
    assert "1 row has errors; nothing was saved" in bad.content.decode() and not SurveyResponse.objects.exists()
    worse = text + "X,DE,Y,2026-01-05,8\nZ,DE,Y,2026-01-05,8\n"
    two = client.post("/csat/import/", {"file": SimpleUploadedFile("r.csv", worse.encode())}).content.decode()
    assert "2 rows have errors; nothing was saved" in two
    both = text + f"{partner_a.vendor_partner_id},DE,Fabrikam,2026-01-06,9\n"
    double = client.post("/csat/import/", {"file": SimpleUploadedFile("r.csv", both.encode()), "dry_run": "on"})
    assert "2 rows are correct." in double.content.decode()
    client.post("/csat/import/", {"file": SimpleUploadedFile("r.csv", text.encode())})
    assert SurveyResponse.objects.count() == 1


def test_staff_move_a_measurement_date_on_the_page(client, staff_user):
    from csat.models import MeasurementDate

    md = MeasurementDate.objects.get(date=date(2026, 7, 31))
    client.force_login(staff_user)
    assert "FY2014" in client.get("/csat/measurement-dates/").content.decode()
    client.post(f"/csat/measurement-dates/{md.pk}/", {"date": "2026-07-30"})
    md.refresh_from_db()
    assert md.date == date(2026, 7, 30)
