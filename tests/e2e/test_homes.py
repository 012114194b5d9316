"""Homes and the header in a real browser: one line at 1280 px, a collapsed menu at 390 px, no sideways scroll."""

from datetime import UTC, date, datetime

import pytest

from compliance.models import CredentialVerdict, VerdictChange
from tests.e2e.conftest import screenshot
from tests.factories import PartnerFactory, make_user
from tests.renewals.factories import IncidentFactory
from tests.specializations.factories import PartnerSpecializationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def scrolls_sideways(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def world():
    partner = PartnerFactory(legal_name="Alpha Networks")
    ps = PartnerSpecializationFactory(partner=partner, anniversary=date(2027, 1, 20))
    IncidentFactory(of=ps, acknowledge_by=date(2027, 1, 5))
    for on, compliant in ((date(2026, 3, 1), True), (date(2026, 11, 1), False)):
        VerdictChange.objects.create(
            credential_type="specializations.partnerspecialization",
            credential_id=ps.pk,
            partner=partner,
            name="Secure Access",
            as_of=on,
            compliant=compliant,
            recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
    CredentialVerdict.objects.create(
        credential_type="specializations.partnerspecialization",
        credential_id=ps.pk,
        partner=partner,
        territory=ps.territory,
        name="Secure Access",
        partner_name=partner.legal_name,
        status=ps.status,
        anniversary=ps.anniversary,
        as_of=date(2026, 11, 1),
        compliant=False,
        computed_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    make_user("staff", username="e2e-staff")
    make_user("partner_admin", partner=partner, username="e2e-admin")


def test_staff_home_header_fits_one_line_and_collapses_on_a_phone(page, login, live_server):
    world()
    errors, missing = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    login("e2e-staff")
    assert page.locator("h1").inner_text() == "The program"
    middles = page.eval_on_selector_all(
        "header.topbar .brand, nav[aria-label=Main] > a, nav[aria-label=Main] > details > summary, details.who > summary",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })",
    )
    assert max(middles) - min(middles) < 4, f"the header wraps at 1280 px: {middles}"
    assert page.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "Home"
    assert page.locator("#trend-chart").bounding_box()["height"] >= 200
    assert not scrolls_sideways(page)
    screenshot(page, "home-staff-1280.png")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert not page.locator("nav[aria-label=Main] >> text=Portfolio").is_visible()  # collapsed
    page.click("details.nav-menu > summary")
    assert page.locator("nav[aria-label=Main] >> text=Portfolio").is_visible()
    assert page.locator("#trend-chart").bounding_box()["height"] >= 200
    assert not scrolls_sideways(page)
    screenshot(page, "home-staff-390.png")
    missing = [url for url in missing if not url.endswith("/favicon.ico")]  # the favicon is not ours to add
    assert missing == [] and len(errors) == len([e for e in errors if "404" in e]), (missing, errors)


def test_partner_admin_home_on_a_phone(page, login, live_server):
    world()
    page.set_viewport_size({"width": 390, "height": 844})
    login("e2e-admin")
    assert page.locator("h1").inner_text() == "Alpha Networks"
    assert "Acknowledge incident" in page.content()
    assert not scrolls_sideways(page)
    screenshot(page, "home-partner-admin-390.png")


def test_member_and_team_captain_homes_on_a_phone(page, login, live_server):
    from datetime import timedelta

    from core import clock
    from tests.certifications.factories import CertificationFactory
    from tests.factories import AssociationFactory, IndividualFactory
    from tests.loyalty.factories import AccountFactory, make_captain, make_lot

    partner = PartnerFactory(legal_name="Alpha Networks")
    person = AssociationFactory(partner=partner, individual=IndividualFactory(first_name="Mia", last_name="Stone"))
    CertificationFactory(individual=person.individual, track="Enterprise Infrastructure")
    make_user("partner_member", partner=partner, individual=person.individual, username="e2e-member")
    captain = make_captain("e2e-captain", login_id="cco-e2e")
    account = AccountFactory(name="Contoso", captain=captain, terms_accepted_by=captain)
    today = clock.today()
    make_lot(account, 120, today - timedelta(days=300), expires_on=today + timedelta(days=20))

    page.set_viewport_size({"width": 390, "height": 844})
    login("e2e-member")
    assert "Enterprise Infrastructure" in page.content() and "Asked to take" in page.content()
    assert not scrolls_sideways(page)
    screenshot(page, "home-member-390.png")
    page.click("details.who > summary")
    page.click("text=Log out")
    page.wait_for_load_state("networkidle")

    login("e2e-captain")
    assert page.locator("h1").inner_text() == "Learning credits" and "Contoso" in page.content()
    labels = page.eval_on_selector_all("nav[aria-label=Main] a", "els => els.map(e => e.textContent)")
    assert labels == ["Home", "Learning credits", "Help", "API"]
    assert not scrolls_sideways(page)
    screenshot(page, "home-captain-390.png")
