"""Phones and desktops, in a real browser on the demo data: no page a role reaches from its navigation and
its partner's section tabs scrolls sideways at 390 px; tables stack into labelled cards on a phone and stay
tables on a desktop; a renewal's dates sit beside their labels; charts keep a readable height."""

import io
import re

import pytest
from django.core.management import call_command

from partners.models import Partner
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "portal-demo-2026"
# Pages a walk does not open: other documents, exports, sign-out and the Django admin.
SKIP = re.compile(r"/admin/|/api/|logout|export=|/certificate|sort=|page=\d")
# The widest element that sticks out of the viewport, to say what scrolls.
OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w) return null;
  const out = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1);
  const el = out[out.length - 1];
  return el ? `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)` : 'body';
}"""


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def walk(page, base_url, limit=40):
    """Open the current page and every page its header navigation and a partner's section tabs link to, and
    from each of those the pages their main content links to (one per path shape: /partners/7/ and /partners/8/
    count once); -> {url: what overflows or None}. Every page must answer 200."""
    start = page.url.removeprefix(base_url)
    queue, seen, shapes, found = [start], set(), set(), {}
    while queue and len(found) < limit:
        url = queue.pop(0)
        shape = re.sub(r"/\d+(?=/|$)", "/N", url.split("?")[0])
        if url in seen or shape in shapes:
            continue
        seen.add(url)
        shapes.add(shape)
        response = page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, f"{url} answered {response.status}"
        found[url] = page.evaluate(OVERFLOW)
        hrefs = page.eval_on_selector_all(
            "header nav a[href], nav.tabs a[href], main a[href]", "els => els.map(a => a.getAttribute('href'))"
        )
        queue += [h.split("#")[0] for h in hrefs if h.startswith("/") and not SKIP.search(h)]
    return found


def acme(live_server, section):
    """The URL of a section of the demo partner Acme's pages."""
    return f"{live_server.url}/partners/{Partner.objects.get(legal_name__startswith='Acme').pk}/{section}"


def login_as(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("username", "must_visit"),
    [
        ("acme-admin", ["/compliance/", "/specializations/", "/learning/", "/renewals/", "/incidents/"]),
        ("manager", ["/partners/", "/compliance/portfolio/", "/loyalty/", "/renewals/", "/incidents/"]),
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, demo, username, must_visit):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    login_as(page, live_server, username)
    pages = walk(page, live_server.url)
    context.close()
    for part in must_visit:
        assert any(part in url for url in pages), f"{username}'s walk never reached {part}: {sorted(pages)}"
    assert len(pages) >= 12, sorted(pages)
    assert {url: what for url, what in pages.items() if what} == {}


def test_tables_stack_on_a_phone_and_stay_tables_on_a_desktop(page, live_server, demo):
    login_as(page, live_server, "acme-admin")
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
    login_as(page, live_server, "manager")
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
    login_as(page, live_server, "acme-admin")
    page.goto(acme(live_server, "specializations/"))
    page.locator("main table a[href*='/partner-specializations/']").first.click()
    page.wait_for_load_state("networkidle")
    height = page.locator("#points-chart").evaluate("c => c.getBoundingClientRect().height")
    assert height >= 200, height
    context.close()
