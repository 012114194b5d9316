"""The learning API: bulk create (idempotent, per-record outcomes), list and filter, reversal, tenancy."""

import pytest
import time_machine

from learning.models import LearningRecord
from tests.factories import AssociationFactory, IndividualFactory
from tests.learning.factories import KnowledgeSessionFactory, LearningRecordFactory

pytestmark = pytest.mark.django_db
BULK = "/api/v1/learning-records/bulk/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2017-03-01 12:00 -08:00", tick=False):
        yield


@pytest.fixture
def ada(individual_a):
    individual_a.testing_number = "ADA1"
    individual_a.save()
    return individual_a


@pytest.fixture
def session():
    return KnowledgeSessionFactory(code="S10", points=10)


def rec(n, **kw):
    return {
        "client_record_id": f"crm-{n}",
        "testing_number": "ADA1",
        "session_code": "S10",
        "occurred_on": "2017-01-05",
        "how": "viewed",
        **kw,
    }


def test_the_same_bulk_request_sent_twice_adds_nothing_the_second_time(api, admin_a, ada, session):
    body = {"records": [rec(1), rec(2, how="downloaded"), rec(3, testing_number="NOBODY")]}
    first = api(admin_a).post(BULK, body, format="json")
    assert first.status_code == 201
    assert [o["status"] for o in first.data["outcomes"]] == ["created", "created", "error"]
    assert first.data["outcomes"][2]["errors"] == {
        "testing_number": "No individual with this testing number works for Alpha Networks on 2017-01-05."
    }
    second = api(admin_a).post(BULK, body, format="json")
    assert second.status_code == 200
    assert [o["status"] for o in second.data["outcomes"]] == ["duplicate", "duplicate", "error"]
    assert second.data["outcomes"][0]["record_id"] == first.data["outcomes"][0]["record_id"]
    assert LearningRecord.objects.count() == 2


def test_bulk_all_or_nothing_and_dry_run(api, admin_a, ada, session):
    bad = api(admin_a).post(BULK, {"records": [rec(1), rec(2, how="nope")], "all_or_nothing": True}, format="json")
    assert bad.status_code == 400 and bad.data["errors"] == 1 and LearningRecord.objects.count() == 0
    dry = api(admin_a).post(BULK, {"records": [rec(1)], "dry_run": True}, format="json")
    assert dry.status_code == 200 and dry.data["outcomes"][0]["status"] == "new" and LearningRecord.objects.count() == 0


def test_bulk_takes_ten_thousand_records_without_a_query_per_record(
    api, admin_a, ada, session, django_assert_max_num_queries
):
    body = {"records": [rec(n) for n in range(10_000)]}
    # Lookups are batched; only the INSERTs come in batches (about 110 rows each under SQLite's parameter limit).
    with django_assert_max_num_queries(150):
        response = api(admin_a).post(BULK, body, format="json")
    assert response.status_code == 201 and response.data["created"] == 10_000
    too_many = api(admin_a).post(BULK, {"records": [rec(n) for n in range(10_001)]}, format="json")
    assert too_many.status_code == 400


def test_bulk_refuses_unknown_fields_and_other_partners(api, admin_a, member_a, partner_b, ada, session):
    assert api(admin_a).post(BULK, {"records": [rec(1)], "extra": 1}, format="json").status_code == 400
    assert api(admin_a).post(BULK, {"records": [rec(1)], "partner": partner_b.pk}, format="json").status_code == 404
    assert api(member_a).post(BULK, {"records": [rec(1)]}, format="json").status_code == 403
    assert LearningRecord.objects.count() == 0


def test_list_filters_and_never_shows_another_partners_records(api, admin_a, partner_a, partner_b, session):
    mine = LearningRecordFactory(partner=partner_a, session=session, how="viewed")
    LearningRecordFactory(partner=partner_a, session=session, how="downloaded")
    theirs = LearningRecordFactory(partner=partner_b, session=session)
    client = api(admin_a)
    ids = [r["id"] for r in client.get("/api/v1/learning-records/").data["results"]]
    assert mine.pk in ids and theirs.pk not in ids and len(ids) == 2
    viewed = client.get("/api/v1/learning-records/", {"how": "viewed"}).data["results"]
    assert [r["id"] for r in viewed] == [mine.pk]
    assert client.get(f"/api/v1/learning-records/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/learning-records/", {"partner": partner_b.pk}).data["results"] == []


def test_reverse_through_the_api(api, admin_a, admin_b, partner_a, session):
    record = LearningRecordFactory(partner=partner_a, session=session)
    url = f"/api/v1/learning-records/{record.pk}/reverse/"
    assert api(admin_b).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api(admin_a).post(url, {}, format="json").status_code == 400
    response = api(admin_a).post(url, {"reason": "Duplicate from the LMS"}, format="json")
    assert response.status_code == 201 and response.data["reversal_of"] == record.pk
    assert api(admin_a).post(url, {"reason": "again"}, format="json").status_code == 400


def test_member_sees_only_their_own_records(api, member_a, partner_a, individual_a, session):
    own = LearningRecordFactory(partner=partner_a, individual=individual_a, session=session)
    LearningRecordFactory(
        partner=partner_a,
        session=session,
        individual=AssociationFactory(partner=partner_a, individual=IndividualFactory()).individual,
    )
    ids = [r["id"] for r in api(member_a).get("/api/v1/learning-records/").data["results"]]
    assert ids == [own.pk]


def test_catalogue_reads(api, member_a, session):
    client = api(member_a)
    assert client.get("/api/v1/knowledge-sessions/", {"points": 10}).data["results"][0]["code"] == "S10"
    kinds = {(p["kind"], p["required_points"]) for p in client.get("/api/v1/points-policies/").data["results"]}
    assert {("architecture", 100), ("architecture", 50), ("express", 40), ("technology", 40)} <= kinds
    assert client.post("/api/v1/knowledge-sessions/", {}).status_code == 405
