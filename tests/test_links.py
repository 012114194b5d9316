"""Links a user cannot open are not shown: with the demo data, every link on every page a role reaches from its
home answers (a member saw 404s from the People tab: her colleagues' pages)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.demo_walk import walk

LIMIT = 300  # pages per role, far above what the demo has


@pytest.mark.django_db
def test_every_link_a_role_is_shown_opens(client):
    call_command("seed_demo", stdout=StringIO())
    for username in ("anna", "acme-admin", "globex-admin", "manager", "captain", "staff"):
        client.force_login(get_user_model().objects.get(username=username))
        seen = {url: (r.status_code, came_from) for url, r, came_from in walk(client, limit=LIMIT)}
        broken = {url: found for url, found in seen.items() if found[0] not in (200, 301, 302)}
        assert not broken, f"{username} is shown links that do not open: {broken}"
        assert len(seen) > (3 if username == "captain" else 5), username  # a captain: home, credits, account
        client.logout()
