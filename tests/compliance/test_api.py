from datetime import date

import pytest
import time_machine

from compliance.models import HybridITService
from compliance.services.recompute import verdicts_recompute
from tests.compliance.factories import HybridITServiceFactory, certify
from tests.csat.factories import responses
from tests.factories import TerritoryFactory


@pytest.fixture
def germany(partner_a, partner_b):
    t = TerritoryFactory(code="DE", name="Germany")
    partner_a.territories.add(t)
    partner_b.territories.add(t)
    return t


@pytest.fixture
def cert_a(partner_a, germany):
    cert = certify(partner_a, germany, name="Silver", on=date(2020, 1, 1), anniversary=date(2026, 6, 1))
    responses(partner_a, germany, 10, date(2025, 1, 15))
    return cert


@time_machine.travel("2026-02-10 12:00Z")
def test_verdict_now_and_as_of_a_date(api, admin_a, partner_a, cert_a):
    verdicts_recompute(partner_ids=None, as_of=date(2025, 7, 31))
    now = api(admin_a).get(f"/api/v1/verdicts/?partner={partner_a.pk}")
    assert now.status_code == 200
    [row] = now.json()
    assert row["compliant"] is False and row["as_of"] == "2026-02-10"
    assert row["requirements"][0]["missing"] == "10 more CSAT responses by 2026-07-31"
    past = api(admin_a).get(f"/api/v1/verdicts/?partner={partner_a.pk}&as_of=2025-08-15").json()
    assert past[0]["compliant"] is True and past[0]["recorded_compliant"] is True
    one = api(admin_a).get(f"/api/v1/certifications/{cert_a.pk}/verdict/?as_of=2025-08-15").json()
    assert isinstance(one, dict) and one["name"] == "Silver" and one == past[0]  # an object: the partner's one row
    assert api(admin_a).get(f"/api/v1/verdicts/?partner={partner_a.pk}&as_of=31-07-2025").status_code == 400
    history = api(admin_a).get(f"/api/v1/certifications/{cert_a.pk}/history/").json()
    assert [h["as_of"] for h in history["results"]] == ["2025-07-31"]


def test_other_partners_verdicts_and_records_are_404(api, admin_b, partner_a, cert_a):
    service = HybridITServiceFactory(partner=partner_a, territory=cert_a.territory)
    client = api(admin_b)
    assert client.get(f"/api/v1/verdicts/?partner={partner_a.pk}").status_code == 404
    assert client.get(f"/api/v1/certifications/{cert_a.pk}/verdict/").status_code == 404
    assert client.get(f"/api/v1/hybrid-it-services/{service.pk}/").status_code == 404
    assert client.get("/api/v1/hybrid-it-services/").json()["count"] == 0


@time_machine.travel("2026-02-10 12:00Z")
def test_partner_admin_records_a_service_and_only_staff_verify(api, admin_a, staff_user, partner_a, germany):
    body = {
        "country": "DE",
        "name": "Cloud Voice",
        "kind": "cloud",
        "provider_contract": "C-1",
        "customer_sla": "S-1",
        "description": "Hosted voice",
        "lifecycle_process": "L-1",
    }
    created = api(admin_a).post("/api/v1/hybrid-it-services/", body)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["partner"] == partner_a.pk and created.json()["verified_on"] is None
    assert api(admin_a).post(f"/api/v1/hybrid-it-services/{pk}/verify/").status_code == 403
    verified = api(staff_user).post(f"/api/v1/hybrid-it-services/{pk}/verify/")
    assert verified.json()["verified_on"] == "2026-02-10"
    changed = api(admin_a).patch(f"/api/v1/hybrid-it-services/{pk}/", {"customer_sla": "S-2"})
    assert changed.json()["verified_on"] is None  # changed evidence is verified again
    assert api(admin_a).post("/api/v1/hybrid-it-services/", {**body, "colour": "red"}).status_code == 400
    bad = api(admin_a).post("/api/v1/hybrid-it-services/", {**body, "country": "FR"})
    assert bad.status_code == 400
    assert api(admin_a).delete(f"/api/v1/hybrid-it-services/{pk}/").status_code == 204
    assert not HybridITService.objects.exists()


def test_support_agreement_dates_are_checked(api, admin_a, germany):
    body = {"country": "DE", "kind": "icpa", "reference": "ICPA-9", "starts_on": "2026-01-01", "ends_on": "2025-01-01"}
    response = api(admin_a).post("/api/v1/support-agreements/", body)
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in str(response.json())


@time_machine.travel("2026-02-10 12:00Z")
def test_portfolio_filters_and_tenancy(api, manager, staff_user, partner_a, partner_b, cert_a, germany):
    certify(partner_b, germany, name="Gold", on=date(2020, 1, 1))
    verdicts_recompute(partner_ids=None, as_of=date(2026, 2, 10))
    mine = api(manager).get("/api/v1/portfolio/").json()
    assert [r["partner"] for r in mine["results"]] == [partner_a.pk]
    assert mine["results"][0]["days_left"] == 111 and mine["results"][0]["at_risk"] is True
    assert api(staff_user).get("/api/v1/portfolio/").json()["count"] == 2
    gold = api(staff_user).get("/api/v1/portfolio/?tier=gold").json()["results"]
    assert [r["partner"] for r in gold] == [partner_b.pk]
    assert api(staff_user).get("/api/v1/portfolio/?at_risk=true&country=de").json()["count"] == 2
    assert api(staff_user).get("/api/v1/portfolio/?status=lapsed").json()["count"] == 0
    sorted_rows = api(staff_user).get("/api/v1/portfolio/?sort=-anniversary").json()["results"]
    assert [r["anniversary"] for r in sorted_rows] == ["2026-06-01", "2021-01-01"]


def test_staff_grant_a_certification_and_premier_moves_to_gold(api, staff_user, admin_a, partner_a, germany):
    body = {"partner": partner_a.pk, "country": "DE", "tier": "Premier", "on": "2025-01-01"}
    assert api(admin_a).post("/api/v1/certifications/", body).status_code == 403
    assert api(staff_user).post("/api/v1/certifications/", body).status_code == 201
    moved = api(staff_user).post("/api/v1/certifications/", {**body, "tier": "Gold", "on": "2025-07-31"})
    assert moved.status_code == 201 and moved.json()["tier"] == "Gold" and moved.json()["certified_on"] == "2025-01-01"
    cert_id = moved.json()["id"]
    from compliance.models import CertificationChange

    changes = list(
        CertificationChange.objects.filter(certification_id=cert_id).values_list(
            "from_tier__name", "to_tier__name", "changed_on"
        )
    )
    assert changes == [(None, "Premier", date(2025, 1, 1)), ("Premier", "Gold", date(2025, 7, 31))]
    again = api(staff_user).post("/api/v1/certifications/", {**body, "tier": "Gold"})
    assert again.status_code == 400
