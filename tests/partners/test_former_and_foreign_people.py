"""A testing number tells nothing about another partner's people, and a former employee shows only the
history the former partner owned (issue 11, item 3)."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners import access
from partners.services import individual_associate, individual_update
from tests.factories import AssociationFactory, IndividualFactory
from tests.learning.factories import KnowledgeSessionFactory

pytestmark = pytest.mark.django_db
BULK = "/api/v1/learning-records/bulk/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2017-03-01 12:00 -08:00", tick=False):
        yield


@pytest.fixture
def denis(partner_b):
    person = IndividualFactory(first_name="Denis", last_name="Moreau", testing_number="DM-1")
    AssociationFactory(partner=partner_b, individual=person, start=date(2015, 1, 1))
    return person


@pytest.fixture
def session():
    return KnowledgeSessionFactory(code="S10", points=10)


def record(number):
    return {
        "client_record_id": f"crm-{number}",
        "testing_number": number,
        "session_code": "S10",
        "occurred_on": "2017-01-05",
        "how": "viewed",
    }


def test_a_dry_run_says_the_same_for_another_partners_number_as_for_an_unknown_one(
    api, admin_a, partner_a, denis, session
):
    res = api(admin_a).post(BULK, {"records": [record("DM-1"), record("NOBODY")], "dry_run": True}, format="json")
    assert res.status_code == 207
    foreign, unknown = (o["errors"] for o in res.data["attention"])  # both rejected, so both listed
    expected = {"testing_number": "No individual with this testing number works for Alpha Networks on 2017-01-05."}
    assert foreign == unknown == expected
    assert "Moreau" not in res.content.decode() and "Bravo" not in res.content.decode()


def test_the_csv_upload_does_not_name_another_partners_person(client, admin_a, partner_a, denis, session):
    client.force_login(admin_a)
    text = "testing_number,session_code,occurred_on,how\nDM-1,S10,2017-01-05,viewed\n"
    page = client.post(
        reverse("learning-record-upload", args=[partner_a.pk]),
        {"file": SimpleUploadedFile("learning.csv", text.encode(), content_type="text/csv")},
    )
    body = page.content.decode()
    assert "No individual with this testing number works for Alpha Networks" in body
    assert "Denis" not in body and "Moreau" not in body and "Bravo" not in body


@pytest.fixture
def moved(partner_a, partner_b, admin_b):
    """Someone who worked for Alpha from 2015 and moved to Bravo on 2017-02-01, where her email changed."""
    person = IndividualFactory(first_name="Mona", last_name="Mover", email="mona@alpha.example", testing_number="MM-1")
    AssociationFactory(partner=partner_a, individual=person, start=date(2015, 1, 1))
    individual_associate(individual=person, partner=partner_b, start=date(2017, 2, 1), actor=access.SYSTEM)
    return individual_update(individual=person, email="mona@bravo.example", actor=admin_b)


def test_the_former_partner_sees_a_former_employees_name_and_dates_only(api, admin_a, partner_b, moved):
    detail = api(admin_a).get(f"/api/v1/individuals/{moved.pk}/")
    assert detail.status_code == 200
    assert detail.data["first_name"] == "Mona" and detail.data["email"] is None
    assert [(a["partner_name"], a["start"], a["end"]) for a in detail.data["associations"]] == [
        ("Alpha Networks", "2015-01-01", "2017-01-31")
    ]
    listed = api(admin_a).get("/api/v1/individuals/").content.decode()
    assert "Mona" in listed and "bravo.example" not in listed and "Bravo" not in listed
    for probe in (f"?partner={partner_b.pk}", "?q=mona@bravo.example", "?q=bravo"):
        assert api(admin_a).get(f"/api/v1/individuals/{probe}").data["count"] == 0, probe


def test_the_current_partner_and_the_person_herself_see_her_email(api, admin_b, staff_user, moved):
    assert api(admin_b).get(f"/api/v1/individuals/{moved.pk}/").data["email"] == "mona@bravo.example"
    assert api(staff_user).get(f"/api/v1/individuals/{moved.pk}/").data["email"] == "mona@bravo.example"
