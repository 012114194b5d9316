"""Partner A's admin walks every CE list and page; partner B's people and their records never come back."""

import pytest
from django.test import Client

from partners.access import SYSTEM

from .factories import build_partner_data

pytestmark = pytest.mark.django_db

API_LISTS = ["/api/v1/ce-certifications/", "/api/v1/ce-exams/", "/api/v1/ce-claims/"]


def test_partner_b_ce_records_are_invisible_to_partner_a_admin(api, admin_a, admin_b, partner_a, partner_b):
    mine = build_partner_data(partner_a)
    theirs = build_partner_data(partner_b)
    person_b = theirs[0].individual
    for url in API_LISTS:
        body = api(admin_a).get(url).content.decode()
        assert partner_b.legal_name not in body and partner_b.vendor_partner_id not in body, url
        assert api(admin_a).get(url).json()["count"] == 1
        assert api(admin_b).get(url).json()["count"] == 1
    for obj, url in zip(
        theirs, ["/api/v1/ce-certifications/{}/", None, "/api/v1/ce-exams/{}/", "/api/v1/ce-claims/{}/"], strict=True
    ):
        if url:
            assert api(admin_a).get(url.format(obj.pk)).status_code == 404
            assert api(admin_b).get(url.format(obj.pk)).status_code == 200
    client = Client()
    client.force_login(admin_a)
    own = client.get(f"/learning/ce/individuals/{mine[0].individual_id}/").content.decode()
    assert partner_a.legal_name in own
    assert client.get(f"/learning/ce/individuals/{person_b.pk}/").status_code == 404
    people = client.get(f"/learning/ce/partners/{partner_a.pk}/people/").content.decode()
    assert person_b.last_name not in people and f"CE track of {partner_b.legal_name}" not in people


def test_a_former_partner_loses_sight_of_a_person_who_moved(api, admin_a, partner_a, partner_b):
    from datetime import date

    from partners.services import individual_associate

    cert = build_partner_data(partner_a)[0]
    assert api(admin_a).get(f"/api/v1/ce-certifications/{cert.pk}/").status_code == 200
    individual_associate(individual=cert.individual, partner=partner_b, start=date(2020, 1, 1), actor=SYSTEM)
    assert api(admin_a).get(f"/api/v1/ce-certifications/{cert.pk}/").status_code == 404
