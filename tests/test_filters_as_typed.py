"""Filters take what a person types: a country by its name or code in any case, a partner by its id, its name (or
part of it) or its vendor partner id; in the API (documented) and on the pages alike, never past tenancy."""

from datetime import date

import pytest

from compliance.services.recompute import verdicts_recompute
from tests.compliance.factories import certify
from tests.factories import AssociationFactory, IndividualFactory, TerritoryFactory


@pytest.fixture
def world(partner_a, partner_b):
    """Alpha Networks certified in Germany, Bravo Systems in France."""
    germany, france = TerritoryFactory(code="DE", name="Germany"), TerritoryFactory(code="FR", name="France")
    partner_a.territories.add(germany)
    partner_b.territories.add(france)
    certify(partner_a, germany, name="Silver", on=date(2020, 1, 1))
    certify(partner_b, france, name="Gold", on=date(2020, 1, 1))
    verdicts_recompute(partner_ids=None, as_of=date(2026, 2, 10))
    return partner_a, partner_b


def _partners(res):
    assert res.status_code == 200, res.content
    return [row["partner"] for row in res.json()["results"]]


@pytest.mark.parametrize("country", ["DE", "de", "Germany", "germany", " GERMANY "])
def test_a_country_by_code_or_name_in_any_case(api, staff_user, world, country):
    alpha, _ = world
    assert _partners(api(staff_user).get("/api/v1/portfolio/", {"country": country})) == [alpha.pk]
    partners = api(staff_user).get("/api/v1/partners/", {"territory": country}).json()["results"]
    assert [p["id"] for p in partners] == [alpha.pk]


def test_an_unknown_country_finds_nothing(api, staff_user, world):
    assert _partners(api(staff_user).get("/api/v1/portfolio/", {"country": "Atlantis"})) == []


@pytest.mark.parametrize("typed", ["alpha", "Alpha Networks", "ALPHA NET"])
def test_a_partner_by_name_or_part_of_it(api, staff_user, world, typed):
    alpha, _ = world
    assert _partners(api(staff_user).get("/api/v1/portfolio/", {"partner": typed})) == [alpha.pk]


def test_a_partner_by_id_and_by_vendor_partner_id_as_before(api, staff_user, world):
    alpha, bravo = world
    assert _partners(api(staff_user).get("/api/v1/portfolio/", {"partner": bravo.pk})) == [bravo.pk]
    assert _partners(api(staff_user).get("/api/v1/portfolio/", {"partner": alpha.vendor_partner_id})) == [alpha.pk]


def test_a_partner_id_too_large_is_still_a_400_naming_it(api, staff_user, world):
    res = api(staff_user).get("/api/v1/portfolio/", {"partner": "99999999999999999999"})
    assert res.status_code == 400 and "partner id" in res.json()["partner"][0]


def test_a_name_never_finds_another_tenants_partner(api, manager, world):
    assert _partners(api(manager).get("/api/v1/portfolio/", {"partner": "Bravo"})) == []
    assert _partners(api(manager).get("/api/v1/portfolio/", {"partner": "Alpha"})) == [world[0].pk]


def test_people_and_ce_filters_take_a_partner_name(api, admin_a, world, individual_a):
    alpha, _ = world
    AssociationFactory(partner=world[1], individual=IndividualFactory(first_name="Other"))
    people = api(admin_a).get("/api/v1/individuals/", {"partner": "alpha"}).json()["results"]
    assert [p["id"] for p in people] == [individual_a.pk]
    assert api(admin_a).get("/api/v1/individuals/", {"partner": "Bravo"}).json()["results"] == []
    assert api(admin_a).get("/api/v1/ce-certifications/", {"partner": "alpha"}).status_code == 200


def test_the_portfolio_page_filters_by_country_name(client, staff_user, world):
    client.force_login(staff_user)
    for country in ("Germany", "de"):
        page = client.get("/compliance/portfolio/", {"country": country}).content.decode()
        assert "Alpha Networks" in page and "Bravo Systems" not in page
    page = client.get("/compliance/portfolio/", {"partner": "bravo"}).content.decode()
    assert "Bravo Systems" in page and "Alpha Networks" not in page


def test_the_api_documents_both_ways(client):
    schema = client.get("/api/schema/?format=json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/portfolio/"]["get"]["parameters"]}
    assert params["partner"]["schema"]["type"] == "string" and "name" in params["partner"]["description"]
    assert "Germany" in params["country"]["description"] and "DE" in params["country"]["description"]


def test_a_filter_the_page_cannot_read_says_which_and_that_it_was_not_applied(client, staff_user, world):
    client.force_login(staff_user)
    page = client.get("/compliance/portfolio/", {"at_risk": "maybe", "partner": "99999999999999999999"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "At risk “maybe”: Give true or false. This filter was not applied." in body
    assert "Partner (id or name) “99999999999999999999”: Give a partner id" in body
    assert "Alpha Networks" in body and "Bravo Systems" in body  # the other filters (none) still apply
