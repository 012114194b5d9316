"""Phones and desktops, in a real browser on the demo data: no page a role reaches from its navigation and
its partner's section tabs scrolls sideways at 390 px; tables stack into labelled cards on a phone and stay
tables on a desktop; a renewal's dates sit beside their labels; charts keep a readable height; the header's
menus close on a click outside, on opening another and on Escape."""

import pytest

from partners.models import Partner
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def acme(live_server, section):
    """The URL of a section of the demo partner Acme's pages."""
    return f"{live_server.url}/partners/{Partner.objects.get(legal_name__startswith='Acme').pk}/{section}"


def test_tables_stack_on_a_phone_and_stay_tables_on_a_desktop(page, live_server, demo):
    sign_in(page, live_server.url, "acme-admin")
    page.goto(acme(live_server, "compliance/"))
    records = page.locator("section:has(h2:text('Support capabilities')) table")
    assert records.evaluate("t => getComputedStyle(t).display") == "table"
    assert records.evaluate("t => t.getBoundingClientRect().right <= t.closest('.card').getBoundingClientRect().right")

    page.set_viewport_size(PHONE)
    assert records.evaluate("t => getComputedStyle(t).display") == "block"
    first_cell = records.locator("tbody tr >> nth=0").locator("td >> nth=0")
    label = first_cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Capability"'  # each value says which column it is
    # Screen readers still read a table: the stacked parts keep their roles.
    assert records.get_attribute("role") == "table" and first_cell.get_attribute("role") == "cell"
    screenshot(page, "layout-compliance-phone.png")


def test_renewal_dates_sit_beside_their_labels_and_stack_on_a_phone(page, live_server, demo):
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/renewals/")
    page.locator("main table a[href*='/renewals/']").first.click()
    page.wait_for_load_state("networkidle")
    dates = page.locator("section:has(h2:text('Dates')) dl")
    rows = dates.evaluate(
        """dl => [...dl.querySelectorAll('dt')].map(dt => {
             const a = dt.getBoundingClientRect(), b = dt.nextElementSibling.getBoundingClientRect();
             return {sameLine: Math.abs(a.top - b.top) < 2, after: b.left > a.right, left: a.left}; })"""
    )
    assert len(rows) >= 4
    assert all(r["sameLine"] and r["after"] for r in rows), rows
    assert len({r["left"] for r in rows}) == 1  # one column of labels, not a ragged grid

    page.set_viewport_size(PHONE)
    below = dates.evaluate(
        "dl => [...dl.querySelectorAll('dt')].every(dt => dt.nextElementSibling.getBoundingClientRect().top"
        " >= dt.getBoundingClientRect().bottom - 1)"
    )
    assert below  # on a phone each value sits under its label
    screenshot(page, "layout-renewal-phone.png")


def test_charts_keep_a_readable_height_on_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, "acme-admin")
    page.goto(acme(live_server, "specializations/"))
    page.locator("main table a[href*='/partner-specializations/']").first.click()
    page.wait_for_load_state("networkidle")
    height = page.locator("#points-chart").evaluate("c => c.getBoundingClientRect().height")
    assert height >= 200, height
    context.close()


def test_header_menus_close_on_a_click_outside_on_another_menu_and_on_escape(page, live_server, demo):
    sign_in(page, live_server.url, "acme-admin")
    more, who = page.locator("header details.more"), page.locator("header details.who")
    is_open = "d => d.open"
    more.locator("summary").click()
    assert more.evaluate(is_open) and more.locator(".menu-list").is_visible()
    page.locator("main h1").click()
    assert not more.evaluate(is_open)  # a click outside closes it

    more.locator("summary").click()
    who.locator("summary").click()
    assert who.evaluate(is_open) and not more.evaluate(is_open)  # one menu open at a time

    page.keyboard.press("Escape")
    assert not who.evaluate(is_open)
    assert page.evaluate("document.activeElement.closest('details.who') !== null")  # focus back on its toggle

    page.set_viewport_size(PHONE)
    menu = page.locator("header details.nav-menu")
    menu.locator("> summary").click()
    more.locator("summary").click()
    assert menu.evaluate(is_open) and more.evaluate(is_open)  # a menu inside the phone menu keeps it open
    page.keyboard.press("Escape")
    assert menu.evaluate(is_open) and not more.evaluate(is_open)  # the innermost closes first
    page.keyboard.press("Escape")
    assert not menu.evaluate(is_open)
