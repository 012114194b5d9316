"""The renewals-due list, the renewal page and the partner's notices, in HTML and through the API."""

from datetime import date, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command

from tests.specializations.factories import PartnerSpecializationFactory

TODAY = date(2026, 6, 1)


def at(day):
    return time_machine.travel(f"{day.isoformat()} 19:00:00+00:00", tick=False)


def test_renewals_due_in_the_next_90_days_for_managers_and_staff(client, api, held, people, partner_b, staff_user):
    late = PartnerSpecializationFactory(partner=held.partner, anniversary=TODAY + timedelta(days=91))
    other = PartnerSpecializationFactory(partner=partner_b, anniversary=TODAY + timedelta(days=10))
    with at(TODAY):
        client.force_login(people["manager"])
        page = client.get("/renewals/").content.decode()
        assert f"/renewals/partnerspecialization/{held.pk}/" in page and "2026-08-01" in page
        assert f"/renewals/partnerspecialization/{late.pk}/" not in page
        assert f"/renewals/partnerspecialization/{other.pk}/" not in page  # not this manager's partner
        rows = api(staff_user).get("/api/v1/renewals/due/").json()["results"]
        assert [(r["credential"]["id"], r["days_left"]) for r in rows] == [(other.pk, 10), (held.pk, 61)]
        rows = api(staff_user).get("/api/v1/renewals/due/?days=100").json()["results"]
        assert len(rows) == 3
        assert api(staff_user).get("/api/v1/renewals/due/?days=0").status_code == 400


def test_renewal_page_and_api_show_requirements_window_and_history(client, api, held, people, verdicts):
    verdicts.fail(held, "CSAT", "4 more survey responses are needed (6/10).")
    with at(TODAY):
        client.force_login(people["admin"])
        page = client.get(f"/renewals/partnerspecialization/{held.pk}/").content.decode()
        assert "2026-05-03" in page and "2026-08-31" in page and "4 more survey responses" in page
        body = api(people["admin"]).get(f"/api/v1/renewals/partnerspecialization/{held.pk}/").json()
    assert body["window_opens"] == "2026-05-03" and body["last_day"] == "2026-08-31"
    assert body["compliant"] is False and body["unmet"] == [
        {"label": "CSAT", "missing": "4 more survey responses are needed (6/10)."}
    ]
    assert body["history"] == []


def test_notices_sent_to_a_partner(client, api, held, people, admin_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_daily", as_of="2026-05-03", no_recompute=True, stdout=StringIO())
    client.force_login(people["admin"])
    page = client.get(f"/partners/{held.partner_id}/notices/").content.decode()
    assert "Re-certification due" in page and "admin-a@example.com" in page and "Sent" in page
    rows = api(people["manager"]).get(f"/api/v1/notices/?partner={held.partner_id}").json()["results"]
    assert [(r["kind"], r["recipient"], r["cc"], r["status"]) for r in rows] == [
        ("renewal.opened", "admin-a@example.com", ["manager-a@example.com"], "sent")
    ]
    assert api(admin_b).get("/api/v1/notices/").json()["results"] == []
    client.force_login(admin_b)
    assert client.get(f"/partners/{held.partner_id}/notices/").status_code == 404


def test_lists_take_a_constant_number_of_queries(client, staff_user, verdicts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.renewals.factories import IncidentFactory, RenewalApplicationFactory

    def fill(n):
        for _ in range(n):
            held = PartnerSpecializationFactory(anniversary=TODAY + timedelta(days=20))
            RenewalApplicationFactory(of=held)
            IncidentFactory(of=held)

    client.force_login(staff_user)
    counts = {}
    for n in (2, 12):
        fill(n)
        with at(TODAY):
            for url in (
                "/renewals/",
                "/incidents/",
                "/api/v1/incidents/",
                "/api/v1/renewal-applications/",
                "/api/v1/renewals/due/",
            ):
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(url).status_code == 200
                counts.setdefault(url, []).append(len(ctx))
    assert all(more <= few for few, more in counts.values()), counts  # 12 rows cost no more than 2
