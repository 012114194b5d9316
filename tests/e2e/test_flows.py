"""The main flows of the member, program staff and the Team Captain in a real browser, on the demo data: a member
submits a CE claim from her phone, staff approve it on a desktop and she sees it earned; the captain redeems
credits from her phone."""

import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def signed_in(browser, live_server, username, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(15000)
    return sign_in(page, live_server.url, username)


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_member_claims_ce_credits_and_staff_approve_them(browser, live_server, demo):
    anna = signed_in(browser, live_server, "anna", PHONE)
    anna.get_by_text("Menu").first.click()
    anna.get_by_role("link", name="My certifications", exact=True).click()
    anna.wait_for_load_state("networkidle")
    no_sideways_scroll(anna)
    anna.select_option("#id_activity", index=0)  # not in the catalogue: she names the course
    anna.fill("#id_course_name", "Zero Trust Networking Deep Dive")
    anna.fill("#id_credits", "8")
    anna.fill("#id_started_on", "2026-11-02")
    anna.fill("#id_ended_on", "2026-11-04")
    anna.fill("#id_validation_code", "ZT-4711")
    anna.set_input_files(
        "#id_certificate", files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    anna.get_by_label("I attended the activity for its full duration").check()
    no_sideways_scroll(anna)
    anna.click("button:has-text('Submit for review')")
    anna.wait_for_load_state("networkidle")
    assert "Zero Trust Networking Deep Dive" in anna.content() and "Pending" in anna.content()
    screenshot(anna, "flow-member-claim-phone.png")

    staff = signed_in(browser, live_server, "staff", DESKTOP)
    assert "CE claims to review" in staff.content()
    staff.goto(f"{live_server.url}/learning/ce/review/")
    staff.get_by_role("link", name="Zero Trust Networking Deep Dive").click()
    staff.wait_for_load_state("networkidle")
    staff.check("input[name=decision][value=earned]")
    staff.click("button:has-text('Record the decision')")
    staff.wait_for_load_state("networkidle")
    assert "Earned" in staff.content()
    screenshot(staff, "flow-staff-review-desktop.png")

    anna.goto(f"{live_server.url}/")
    assert "Zero Trust Networking Deep Dive" in anna.content() and "Earned" in anna.content()
    no_sideways_scroll(anna)


def test_team_captain_redeems_credits_from_a_phone(browser, live_server, demo):
    captain = signed_in(browser, live_server, "captain", PHONE)
    no_sideways_scroll(captain)
    captain.get_by_text("Menu").first.click()
    captain.get_by_role("link", name="Learning credits", exact=True).click()
    captain.wait_for_load_state("networkidle")
    account = captain.url
    if "/loyalty/accounts/" not in account:  # one account: the list links to it
        captain.locator("main a[href*='/loyalty/accounts/']").first.click()
        captain.wait_for_load_state("networkidle")
    before = captain.content()
    captain.select_option("#id_kind", index=0)
    captain.fill("#id_amount", "5")
    captain.fill("#id_description", "Wireless design course")
    no_sideways_scroll(captain)
    captain.click("button:has-text('Redeem')")
    captain.wait_for_load_state("networkidle")
    assert "Wireless design course" in captain.content() and captain.content() != before
    assert "-5" in captain.content() or "−5" in captain.content()
    no_sideways_scroll(captain)
    screenshot(captain, "flow-captain-redeem-phone.png")
