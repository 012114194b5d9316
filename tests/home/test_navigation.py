"""The main menu shows only what the role can use (every link answers), and marks the current page and tab."""

import re

import pytest

from tests.factories import UserFactory
from tests.loyalty.factories import AccountFactory, make_captain


def nav(client, path="/"):
    """(label, href, current) of the main menu's links on `path`, and the page."""
    body = client.get(path, follow=True).content.decode()
    menu = body[body.index('<nav aria-label="Main">') : body.index("</nav>", body.index('<nav aria-label="Main">'))]
    links = [
        (label, href, bool(current))
        for href, current, label in re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', menu)
    ]
    return links, body


@pytest.fixture
def users(partner_a, admin_a, manager, staff_user, member_a):
    captain = make_captain("nav-captain", login_id="cco-nav")
    AccountFactory(captain=captain, terms_accepted_by=captain, account_manager=manager)
    return {"staff": staff_user, "manager": manager, "admin": admin_a, "member": member_a, "captain": captain}


@pytest.mark.parametrize("who", ["staff", "manager", "admin", "member", "captain"])
def test_every_menu_link_answers_for_the_role(client, users, who):
    client.force_login(users[who])
    links, _ = nav(client)
    assert links[0][:2] == ("Home", "/")
    for label, href, _ in links:
        assert client.get(href, follow=True).status_code == 200, f"{who}: {label} ({href})"


def test_each_role_sees_only_its_pages(client, users, partner_a):
    menus = {}
    for who, user in users.items():
        client.force_login(user)
        menus[who] = {label for label, _, _ in nav(client)[0]}
    assert menus["captain"] == {"Home", "Learning credits", "Help", "API"}  # no partner page at all
    assert {"CE review", "CSAT import", "Admin", "Partners", "Portfolio"} <= menus["staff"]
    assert not {"CE review", "CSAT import", "CSAT dates", "Admin", "Integrations", "Webhooks"} & menus["manager"]
    assert {"My partner", "Compliance", "People", "Integrations", "Webhooks"} <= menus["admin"]
    assert not {"Partners", "Portfolio", "CE review", "Admin", "Learning credits"} & menus["admin"]
    assert "My certifications" in menus["member"]
    assert not {"CE review", "CSAT import", "Admin", "People", "Integrations", "Webhooks", "Partners"} & menus["member"]


def test_the_current_page_and_tab_are_marked(client, admin_a, partner_a):
    client.force_login(admin_a)
    links, body = nav(client, f"/partners/{partner_a.pk}/compliance/")
    assert [label for label, _, current in links if current] == ["Compliance"]  # not "My partner" as well
    assert f'<a href="/partners/{partner_a.pk}/compliance/" aria-current="page">Compliance</a>' in body  # the tab
    links, _ = nav(client, "/incidents/?state=open")
    assert [label for label, _, current in links if current] == ["Incidents"]
    links, body = nav(client, "/catalogue/")
    assert [label for label, _, current in links if current] == ["Catalogue"]
    assert '<summary class="current">More</summary>' in body  # the menu that holds it


def test_a_member_is_not_offered_her_colleagues_people_tab(client, member_a, partner_a):
    client.force_login(member_a)
    body = client.get(f"/partners/{partner_a.pk}/").content.decode()
    assert "Compliance</a>" in body and "People &amp; certifications" not in body


def test_a_user_without_a_role_has_no_menu(client, db):
    client.force_login(UserFactory(username="lonely"))  # no profile: no role
    body = client.get("/").content.decode()
    assert 'aria-label="Main"' not in body and "No role yet" in body
