"""In a real browser: a partner admin records a Hybrid IT service on the compliance page; the account
manager's portfolio shows the chart, filters at-risk credentials and exports CSV."""

from datetime import date
from pathlib import Path

import pytest

from compliance.services.recompute import verdicts_recompute
from core import clock
from tests.compliance.factories import certify, ensure_default_program
from tests.e2e.conftest import screenshot
from tests.factories import PartnerFactory, TerritoryFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _program():
    ensure_default_program()  # an earlier transactional test's flush drops what the data migrations ship


def test_partner_admin_records_a_hybrid_it_service(page, login, live_server):
    partner = PartnerFactory(legal_name="Alpha Networks")
    germany = TerritoryFactory(code="DE", name="Germany")
    partner.territories.add(germany)
    certify(partner, germany, on=date(2020, 1, 1), anniversary=date(2030, 1, 1))
    make_user("partner_admin", partner=partner, username="alpha-admin")
    login("alpha-admin")
    page.goto(f"{live_server.url}/partners/{partner.pk}/compliance/")
    assert "Premier · Germany" in page.content()
    assert "none is on record" in page.content()
    page.click("a.button:has-text('Record a Hybrid IT service')")
    page.select_option("#id_territory", label="Germany")
    page.fill("#id_name", "Managed Wi-Fi")
    page.select_option("#id_kind", "powered_managed")
    page.fill("#id_provider_contract", "PC-1")
    page.fill("#id_customer_sla", "SLA-1")
    page.fill("#id_description", "Managed wireless")
    page.fill("#id_lifecycle_process", "LCM-1")
    page.set_input_files(
        "#id_evidence",
        [
            {"name": "contract.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
            {"name": "fake.pdf", "mimeType": "application/pdf", "buffer": b"<html>not a pdf</html>"},
        ],
    )
    page.click("main button:has-text('Save')")
    page.wait_for_load_state("networkidle")
    assert "fake.pdf is not a PDF or an image" in page.content()
    assert page.input_value("#id_name") == "Managed Wi-Fi"  # the refused file lost nothing typed
    page.set_input_files(
        "#id_evidence", [{"name": "contract.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.click("main button:has-text('Save')")
    page.wait_for_load_state("networkidle")
    assert "“Managed Wi-Fi” awaits verification by program staff" in page.content()
    with page.expect_download() as download:
        page.click("a:has-text('contract.pdf')")
    assert download.value.suggested_filename == "contract.pdf"
    assert Path(download.value.path()).read_bytes() == b"%PDF-1.4\n%%EOF\n"
    screenshot(page, "compliance-page.png")
    page.goto(live_server.url + page.get_attribute("main table a:text-is('Edit')", "href"))
    assert page.is_visible("form.inline button:has-text('Remove')")  # not verified yet: the file may go
    screenshot(page, "record-form-evidence.png")


def test_account_manager_portfolio_chart_filter_and_export(page, login, live_server):
    manager = make_user("account_manager", username="am")
    netherlands = TerritoryFactory(code="NL", name="Netherlands")
    for name in ("Alpha Networks", "Bravo Systems"):
        partner = PartnerFactory(legal_name=name)
        partner.territories.add(netherlands)
        partner.account_managers.add(manager)
        certify(partner, netherlands, name="Silver", on=date(2020, 1, 1))
    hidden = PartnerFactory(legal_name="Charlie Hidden")
    hidden.territories.add(netherlands)
    certify(hidden, netherlands, name="Gold", on=date(2020, 1, 1))
    verdicts_recompute(partner_ids=None, as_of=clock.today())
    login("am")
    page.goto(f"{live_server.url}/compliance/portfolio/")
    assert page.locator("#status-chart").is_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('status-chart')")
    content = page.content()
    assert "Alpha Networks" in content and "Bravo Systems" in content and "Charlie" not in content
    page.select_option("select[name=at_risk]", "false")
    page.click("text=Filter")
    page.wait_for_load_state("networkidle")
    assert "No credentials match." in page.content()
    screenshot(page, "portfolio.png")
    with page.expect_download() as download:
        page.click("text=Export CSV")
    text = Path(download.value.path()).read_text()
    assert text.startswith("partner,partner_id,country") and "Charlie" not in text
