"""A partner admin in a real browser: log in, see only the own partner, log out."""

import pytest

from tests.e2e.conftest import screenshot
from tests.factories import (
    AssociationFactory,
    IndividualFactory,
    PartnerFactory,
    make_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_partner_admin_sees_only_own_partner_and_logs_out(page, login, live_server):
    mine = PartnerFactory(legal_name="Alpha Networks")
    other = PartnerFactory(legal_name="Bravo Systems")
    AssociationFactory(partner=mine, individual=IndividualFactory(first_name="Ada", last_name="Lovelace"))
    AssociationFactory(partner=other, individual=IndividualFactory(first_name="Bob", last_name="Hidden"))
    make_user("partner_admin", partner=mine, username="alpha-admin")

    login("alpha-admin")
    assert page.url.endswith("/")  # her partner's home
    assert page.locator("h1").inner_text() == "Alpha Networks"
    page.click("nav[aria-label=Main] >> text=My partner")
    assert page.url.endswith(f"/partners/{mine.pk}/")
    assert "Ada Lovelace" in page.content()
    assert "Bravo" not in page.content() and "Hidden" not in page.content()
    screenshot(page, "partner-page.png")

    response = page.goto(f"{live_server.url}/partners/{other.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/partners/")
    assert "Bravo" not in page.content()

    page.goto(f"{live_server.url}/partners/{mine.pk}/")
    page.click("details.who > summary")  # the user's menu
    page.click("text=Log out")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/partners/{mine.pk}/")
    assert "/accounts/login/" in page.url


def test_wrong_password_shows_a_message(page, login):
    make_user("partner_admin", partner=PartnerFactory(), username="someone")
    login("someone", password="not-the-password")
    assert "didn't match" in page.content()
