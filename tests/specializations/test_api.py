"""Catalogue and partner specializations with progress through the API, scoped by tenancy."""

from datetime import date

import pytest

from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory
from tests.specializations.factories import (
    ArchitectureFactory,
    PartnerSpecializationFactory,
    SpecializationFactory,
    SpecializationRoleFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/partner-specializations/"


@pytest.fixture
def holdings(partner_a, partner_b, individual_a):
    security = ArchitectureFactory(name="Security")
    spec = SpecializationFactory(name="Advanced Security Architecture", architecture=security)
    mine = PartnerSpecializationFactory(partner=partner_a, specialization=spec, anniversary=date(2016, 12, 1))
    theirs = PartnerSpecializationFactory(partner=partner_b, specialization=spec, anniversary=date(2016, 12, 1))
    session = KnowledgeSessionFactory(points=20, connects=[security])
    LearningRecordFactory(partner=partner_a, individual=individual_a, session=session, occurred_on=date(2016, 5, 1))
    LearningRecordFactory(partner=partner_b, session=session, occurred_on=date(2016, 5, 1))
    return mine, theirs


def test_progress_as_of_a_date(api, admin_a, holdings):
    mine, theirs = holdings
    rows = api(admin_a).get(URL, {"as_of": "2016-06-01"}).data["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    progress = rows[0]["progress"]
    assert (progress["display"], progress["met"], progress["window_start"]) == ("20/50", False, "2015-12-02")
    assert "Transitional" in progress["policy_label"] and progress["forecast"]["needed"] == 30
    before = api(admin_a).get(URL, {"as_of": "2016-04-30"}).data["results"][0]["progress"]
    assert before["collected"] == 0
    assert api(admin_a).get(URL, {"as_of": "June"}).status_code == 400


def test_another_partners_specialization_is_a_404(api, admin_a, holdings):
    mine, theirs = holdings
    assert api(admin_a).get(f"{URL}{theirs.pk}/").status_code == 404
    assert api(admin_a).get(f"{URL}{theirs.pk}/outlook/").status_code == 404
    detail = api(admin_a).get(f"{URL}{mine.pk}/", {"as_of": "2016-06-01"}).data
    assert detail["progress"]["collected"] == 20  # partner B's identical record never counts


def test_outlook_has_timeline_and_plan(api, admin_a, holdings):
    mine, _ = holdings
    KnowledgeSessionFactory(points=20, duration_hours=18, connects=[mine.specialization.architecture])
    KnowledgeSessionFactory(points=10, duration_hours=10, connects=[mine.specialization])
    data = api(admin_a).get(f"{URL}{mine.pk}/outlook/", {"as_of": "2016-06-01"}).data
    assert data["timeline"] == [{"date": date(2016, 5, 1), "points": 20}]
    assert data["plan"]["gap"] == 30 and data["plan"]["closes_gap"]
    assert sorted(i["points"] for i in data["plan"]["items"]) == [10, 20] and data["plan"]["hours"] == "28.0"


def test_progress_list_is_a_constant_number_of_queries(api, staff_user, partner_a, django_assert_max_num_queries):
    for _n in range(12):
        PartnerSpecializationFactory(partner=partner_a)
    with django_assert_max_num_queries(12):
        response = api(staff_user).get(URL)
    assert response.data["count"] == 12


def test_catalogue(api, member_a):
    spec = SpecializationFactory(name="Express Foundation", kind="express", architecture=None)
    SpecializationRoleFactory(specialization=spec, name="Sales Engineer", required_count=2)
    client = api(member_a)
    names = [a["name"] for a in client.get("/api/v1/architectures/").data["results"]]
    assert names == ["Collaboration", "Data Center", "Enterprise Networks", "Security", "Service Provider"]
    security = next(a for a in client.get("/api/v1/architectures/").data["results"] if a["name"] == "Security")
    assert {f["name"] for f in security["focus_areas"]} == {
        "Next Generation Firewall & IPS",
        "Policy & Access",
        "Web & Email Security",
        "Advanced Threats",
    }
    express = client.get("/api/v1/specializations/", {"kind": "express"}).data["results"]
    assert express[0]["roles"] == [{"id": spec.roles.get().pk, "name": "Sales Engineer", "required_count": 2}]
