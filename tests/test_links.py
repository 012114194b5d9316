"""Links a user cannot open are not shown: with the demo data, every link on every page a role reaches from its
home answers (a member saw 404s from the People tab: her colleagues' pages)."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

HREF = re.compile(r'href="([^"#]*)"')
SKIP = ("/admin/", "/api/", "/static/")  # the Django admin, the API and its docs, files: not the portal's pages
LIMIT = 300  # pages per role, far above what the demo has


def walk(client):
    """{url: status} of every page reachable by links from the home page, and {url: the page linking it}."""
    seen, queue, came_from = {}, ["/"], {}
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        res = client.get(url)
        seen[url] = res.status_code
        if res.status_code in (301, 302):
            queue.append(res["Location"])
            came_from.setdefault(res["Location"], url)
            continue
        if res.status_code != 200 or not res["Content-Type"].startswith("text/html"):
            continue
        for href in HREF.findall(res.content.decode()):
            href = href.replace("&amp;", "&")
            if urlsplit(href).netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            came_from.setdefault(href, url)
            queue.append(href)
    return seen, came_from


@pytest.mark.django_db
def test_every_link_a_role_is_shown_opens(client):
    call_command("seed_demo", stdout=StringIO())
    for username in ("anna", "acme-admin", "globex-admin", "manager", "captain", "staff"):
        client.force_login(get_user_model().objects.get(username=username))
        seen, came_from = walk(client)
        broken = {url: (status, came_from.get(url)) for url, status in seen.items() if status not in (200, 301, 302)}
        assert not broken, f"{username} is shown links that do not open: {broken}"
        assert len(seen) > (3 if username == "captain" else 5), username  # a captain: home, credits, account
        client.logout()
