"""A date the portal cannot read says so on the page, and the page visibly falls back to today; the API keeps its
400 naming the field."""

import pytest

from core import clock

PAGES = [
    "/partners/{partner}/specializations/",
    "/partners/{partner}/compliance/",
    "/learning/ce/individuals/{individual}/",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_date_the_page_cannot_read_is_said_and_today_shown(client, admin_a, partner_a, individual_a, url):
    client.force_login(admin_a)
    res = client.get(url.format(partner=partner_a.pk, individual=individual_a.pk), {"as_of": "notadate"})
    body = res.content.decode()
    assert res.status_code == 200
    assert "The date “notadate” could not be read." in body
    assert "YYYY-MM-DD" in body and f"Showing today, {clock.today():%Y-%m-%d}, instead." in body


def test_what_was_typed_is_shown_escaped(client, admin_a, partner_a):
    client.force_login(admin_a)
    body = client.get(f"/partners/{partner_a.pk}/compliance/", {"as_of": "<b>x</b>"}).content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in body and "<b>x</b>" not in body


def test_a_good_date_shows_no_message(client, admin_a, partner_a):
    client.force_login(admin_a)
    body = client.get(f"/partners/{partner_a.pk}/specializations/", {"as_of": "2025-07-31"}).content.decode()
    assert "could not be read" not in body and "2025-07-31" in body


def test_the_api_still_answers_400_naming_as_of(api, admin_a, partner_a):
    res = api(admin_a).get("/api/v1/verdicts/", {"partner": partner_a.pk, "as_of": "notadate"})
    assert res.status_code == 400 and "YYYY-MM-DD" in res.json()["as_of"][0]
