"""Every role walks its part of the portal in a real browser, on a desktop (1280 px) and a phone (390 px).

From the role's home the walk follows the links the role is shown (at most two pages of a kind: one partner
page stands for all of them), and on every page of the walk asserts that:
- the page answers 200 and does not scroll sideways at either width;
- the console shows no error and the page throws nothing;
- every visible link answers 200 for this role (a link the role may not open is not shown);
- the main pages have no serious or critical accessibility violation (axe-core, served from this folder).
Screenshots of every page at both widths go to test-artifacts/walk/<role>/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.e2e.conftest import ARTIFACTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
MAX_PAGES = 24  # per role: the walk stops there
PER_KIND = 2  # pages of one kind (same path with the ids taken out)
AXE_PAGES = 6  # the first pages of the walk (the home and the role's main pages) are checked for accessibility
# Not walked (still link-checked): the Django admin and the API documentation are not the portal's own pages,
# downloads are not pages, and logging out would end the walk.
SKIP_WALK = re.compile(r"^/(admin|api)/|/export|\.csv|/download|format=csv|/logout")
ROLES = ["staff", "manager", "acme-admin", "anna", "captain"]
# Pages each walk must reach (parts of their paths): the role's main pages.
MUST_VISIT = {
    "staff": ["/compliance/portfolio/", "/learning/ce/review/", "/incidents/"],
    "manager": ["/partners/", "/compliance/portfolio/", "/loyalty/", "/renewals/", "/incidents/"],
    "acme-admin": ["/compliance/", "/specializations/", "/learning/", "/renewals/", "/incidents/"],
    "anna": ["/learning/ce/individuals/", "/compliance/"],
    "captain": ["/loyalty/"],
}
# The widest element that sticks out of the viewport, to say what scrolls.
OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w) return null;
  const out = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1);
  const el = out[out.length - 1];
  return el ? `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)` : 'body';
}"""


def kind_of(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def visible_links(page, origin: str) -> set[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]",
        "els => els.filter(e => e.offsetParent !== null || e.getClientRects().length).map(e => e.getAttribute('href'))",
    )
    links = set()
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page.url, href).split("#")[0]
        if urlparse(url).netloc == urlparse(origin).netloc:
            links.add(url)
    return links


def axe_violations(page, origin: str) -> list[str]:
    # The page's CSP allows scripts from its own origin only: the test serves axe-core at a path of that origin.
    url = f"{origin}/__axe.min.js"
    page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=url)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'best-practice']}, resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("username", ROLES)
def test_role_walk(username, demo, browser, live_server):
    origin = live_server.url
    shots = ARTIFACTS / "walk" / username
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    contexts = {name: browser.new_context(viewport={"width": w, "height": h}) for name, (w, h) in WIDTHS.items()}
    pages = {}
    for name, context in contexts.items():
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("console", lambda msg, n=name: msg.type == "error" and problems.append(f"{n} console: {msg.text}"))
        page.on("pageerror", lambda exc, n=name: problems.append(f"{n} page error: {exc}"))
        sign_in(page, origin, username)
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        pages[name] = page

    queue, seen, kinds, checked = [f"{origin}/"], set(), {}, {}
    walked = 0
    while queue and walked < MAX_PAGES:
        url = queue.pop(0)
        path = urlparse(url).path + (f"?{urlparse(url).query}" if urlparse(url).query else "")
        if url in seen or SKIP_WALK.search(path) or kinds.get(kind_of(urlparse(url).path), 0) >= PER_KIND:
            continue
        seen.add(url)
        kinds[kind_of(urlparse(url).path)] = kinds.get(kind_of(urlparse(url).path), 0) + 1
        slug = f"{walked:02d}-" + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home")
        for name, page in pages.items():
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            if response is None or response.status != 200:
                problems.append(f"{name} {path}: answered {response.status if response else 'nothing'}")
                continue
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                problems.append(f"{name} {path}: scrolls sideways, {overflow} sticks out")
            page.screenshot(path=str(shots / f"{slug}-{name}.png"), full_page=True)
        page = pages["desktop"]
        if walked < AXE_PAGES:
            problems += [f"axe {path}: {v}" for v in axe_violations(page, origin)]
        for link in visible_links(page, origin) | visible_links(pages["phone"], origin):
            if link not in checked:
                checked[link] = page.request.get(link, max_redirects=5).status
                if checked[link] != 200:
                    problems.append(f"{path} links to {urlparse(link).path}, which answers {checked[link]}")
            if link not in seen:
                queue.append(link)
        walked += 1

    for context in contexts.values():
        context.close()
    assert walked >= 3, f"{username}'s walk reached only {walked} pages"
    for part in MUST_VISIT[username]:
        assert any(part in url for url in seen), f"{username}'s walk never reached {part}: {sorted(seen)}"
    assert not problems, f"{username}'s walk ({walked} pages, {len(checked)} links):\n" + "\n".join(problems)
