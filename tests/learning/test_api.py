"""The learning API: bulk create (idempotent; counts and the records that need attention), list and filter,
reversal, tenancy."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Event
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


def test_the_answer_counts_and_lists_only_the_records_that_need_attention(api, admin_a, ada, session):
    body = {"records": [rec(1), rec(2, how="downloaded"), rec(3, testing_number="NOBODY")]}
    first = api(admin_a).post(BULK, body, format="json")
    assert first.status_code == 207  # Multi-Status: one record rejected, the others saved
    assert {k: first.data[k] for k in ("received", "created", "new", "duplicates", "rejected", "saved")} == {
        "received": 3,
        "created": 2,
        "new": 0,
        "duplicates": 0,
        "rejected": 1,
        "saved": True,
    }
    assert "outcomes" not in first.data
    [rejected] = first.data["attention"]
    assert (rejected["index"], rejected["line"], rejected["client_record_id"], rejected["status"]) == (
        2,
        3,
        "crm-3",
        "error",
    )
    assert rejected["errors"] == {
        "testing_number": "No individual with this testing number works for Alpha Networks on 2017-01-05."
    }


def test_the_same_bulk_request_sent_twice_adds_nothing_the_second_time(api, admin_a, ada, session):
    body = {"records": [rec(1), rec(2, how="downloaded"), rec(3, testing_number="NOBODY")]}
    first = api(admin_a).post(f"{BULK}?outcomes=all", body, format="json")
    second = api(admin_a).post(BULK, body, format="json")
    assert second.status_code == 207 and (second.data["created"], second.data["duplicates"]) == (0, 2)
    assert [(o["index"], o["status"]) for o in second.data["attention"]] == [
        (0, "duplicate"),
        (1, "duplicate"),
        (2, "error"),
    ]
    entry = first.data["outcomes"][0]["record_id"]
    assert second.data["attention"][0]["record_id"] == entry
    assert second.data["attention"][0]["note"] == f"Already recorded (entry #{entry}): nothing added."
    assert LearningRecord.objects.count() == 2


def test_every_outcome_on_request(api, admin_a, ada, session):
    body = {"records": [rec(1), rec(2, how="downloaded"), rec(3, session_code="NOPE")]}
    response = api(admin_a).post(f"{BULK}?outcomes=all", body, format="json")
    assert [(o["index"], o["status"]) for o in response.data["outcomes"]] == [
        (0, "created"),
        (1, "created"),
        (2, "error"),
    ]
    created = response.data["outcomes"][0]
    assert created["record_id"] == LearningRecord.objects.get(client_record_id="crm-1").pk
    assert response.data["outcomes"][1]["note"] == "A download is not registered: no points."
    assert [o["index"] for o in response.data["attention"]] == [2]
    assert api(admin_a).post(f"{BULK}?outcomes=some", body, format="json").status_code == 400


def test_duplicates_within_a_batch_are_added_once(api, admin_a, ada, session):
    body = {"records": [rec(1), rec(1), rec(1, how="downloaded"), rec(2)]}
    response = api(admin_a).post(BULK, body, format="json")
    assert response.status_code == 207
    assert (response.data["created"], response.data["duplicates"], response.data["rejected"]) == (2, 1, 1)
    duplicate, conflict = response.data["attention"]
    first = LearningRecord.objects.get(client_record_id="crm-1").pk
    assert (duplicate["index"], duplicate["record_id"], duplicate["note"]) == (
        1,
        first,
        "Same record as line 1: added once.",
    )
    assert conflict["index"] == 2 and conflict["errors"] == {
        "client_record_id": "The client record id 'crm-1' is already used by line 1 for a different record."
    }
    assert LearningRecord.objects.count() == 2


def test_known_ids_are_found_whether_they_run_in_sequence_or_are_scattered_among_many(api, admin_a, ada, session):
    client = api(admin_a)
    assert client.post(BULK, {"records": [rec(n) for n in range(100, 140)]}, format="json").data["created"] == 40
    # Sent again with new ids around them: the known ones are duplicates, the new ones are added.
    again = client.post(BULK, {"records": [rec(n) for n in range(90, 150)]}, format="json").data
    assert (again["created"], again["duplicates"]) == (20, 40)
    # Three known ids far apart (many entries between them) and one conflicting: each one is still found.
    scattered = [rec(100), rec(125), rec(149), rec(139, how="downloaded"), rec(999)]
    answer = client.post(BULK, {"records": scattered}, format="json").data
    assert (answer["created"], answer["duplicates"], answer["rejected"]) == (1, 3, 1)
    assert [o["index"] for o in answer["attention"]] == [0, 1, 2, 3]
    assert LearningRecord.objects.count() == 61


def test_a_known_client_id_for_a_different_record_is_rejected_and_the_good_rows_are_saved(api, admin_a, ada, session):
    api(admin_a).post(BULK, {"records": [rec(1)]}, format="json")
    entry = LearningRecord.objects.get().pk
    response = api(admin_a).post(BULK, {"records": [rec(1, how="downloaded"), rec(2), rec(1)]}, format="json")
    assert response.status_code == 207
    assert (response.data["created"], response.data["duplicates"], response.data["rejected"]) == (1, 1, 1)
    assert [(o["index"], o["status"], o["record_id"]) for o in response.data["attention"]] == [
        (0, "error", None),
        (2, "duplicate", entry),
    ]
    assert response.data["attention"][0]["errors"]["client_record_id"] == (
        f"The client record id 'crm-1' is already used by entry #{entry} for a different record."
    )
    assert LearningRecord.objects.count() == 2


def test_bulk_all_or_nothing_and_dry_run(api, admin_a, ada, session):
    bad = api(admin_a).post(BULK, {"records": [rec(1), rec(2, how="nope")], "all_or_nothing": True}, format="json")
    assert bad.status_code == 400 and LearningRecord.objects.count() == 0
    assert (bad.data["rejected"], bad.data["new"], bad.data["created"], bad.data["saved"]) == (1, 1, 0, False)
    assert bad.data["attention"][0]["errors"] == {"how": "'nope' is not one of: viewed, downloaded, assessment_passed."}
    dry = api(admin_a).post(BULK, {"records": [rec(1)], "dry_run": True}, format="json")
    assert dry.status_code == 200 and dry.data["new"] == 1 and dry.data["attention"] == []
    assert LearningRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("records", "options", "status", "saved"),
    [
        ([rec(1), rec(2)], {}, 201, 2),  # every record accepted, something added
        ([rec(1), rec(2)], {"dry_run": True}, 200, 0),  # every record accepted, nothing added
        ([rec(1), rec(2, how="nope")], {}, 207, 1),  # some rejected: Multi-Status, the good one saved
        ([rec(1), rec(2, how="nope")], {"dry_run": True}, 207, 0),
        ([rec(1, how="nope")], {}, 207, 0),  # rejected without all_or_nothing: still per-record outcomes
        ([rec(1), rec(2, how="nope")], {"all_or_nothing": True}, 400, 0),  # refused: nothing saved
        ([rec(1), rec(2, how="nope")], {"all_or_nothing": True, "dry_run": True}, 400, 0),
        ([rec(1), rec(2)], {"all_or_nothing": True}, 201, 2),
    ],
)
def test_bulk_status_is_as_documented(api, admin_a, ada, session, records, options, status, saved):
    response = api(admin_a).post(BULK, {"records": records, **options}, format="json")
    assert response.status_code == status and LearningRecord.objects.count() == saved
    assert response.data["received"] == len(records) and response.data["created"] == saved


def test_all_or_nothing_refuses_a_batch_whose_client_id_is_known_for_another_record(
    api, admin_a, ada, session, django_capture_on_commit_callbacks
):
    api(admin_a).post(BULK, {"records": [rec(1)]}, format="json")
    body = {"records": [rec(2), rec(2), rec(1, how="downloaded")], "all_or_nothing": True}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused = api(admin_a).post(f"{BULK}?outcomes=all", body, format="json")
    assert refused.status_code == 400 and not refused.data["saved"]
    assert [(o["status"], o["record_id"]) for o in refused.data["outcomes"]] == [
        ("new", None),
        ("duplicate", None),
        ("error", None),
    ]
    assert LearningRecord.objects.count() == 1 and callbacks == []
    assert Event.objects.filter(kind="learning.recorded").count() == 1


def test_bulk_costs_the_same_queries_for_10_and_200_records(api, admin_a, ada, session):
    client = api(admin_a)
    client.post(BULK, {"records": [rec("warm")]}, format="json")  # the session, the throttle's cache
    counts = []
    for size in (10, 200):  # (core.bulk writes up to 200 rows with VALUES, more through a staging table)
        with CaptureQueriesContext(connection) as queries:
            body = {"records": [rec(f"{size}-{n}") for n in range(size - 1)] + [rec("warm")]}  # and a duplicate
            response = client.post(BULK, body, format="json")
            assert (response.data["created"], response.data["duplicates"]) == (size - 1, 1)
        # SQLite's ordinary path inserts in batches of its parameter limit; PostgreSQL in one statement.
        ledger_inserts = [q for q in queries if 'INTO "learning_learningrecord"' in q["sql"][:60]]
        counts.append(len(queries) - (len(ledger_inserts) if connection.vendor != "postgresql" else 0))
    assert counts[0] == counts[1]


def test_bulk_takes_ten_thousand_records(api, admin_a, ada, session):
    body = {"records": [rec(n) for n in range(10_000)]}
    response = api(admin_a).post(BULK, body, format="json")
    assert response.status_code == 201 and response.data["created"] == 10_000 and response.data["attention"] == []
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
