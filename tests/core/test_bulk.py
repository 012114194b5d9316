"""core.bulk.copy_upsert: the same rows and answers on PostgreSQL (COPY + ON CONFLICT) and SQLite (bulk_create)."""

import json
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from compliance.models import CredentialVerdict
from core import bulk
from core.bulk import copy_upsert
from core.models import Event
from tests.factories import PartnerFactory, TerritoryFactory

AWKWARD = "tab\there, new\nline, cr\r, back\\slash \\N, quote ' \" , ünïcødé ✓"
JSON = [{"label": AWKWARD, "met": True, "n": None, "nested": {"a\\b": ["\t", 1.5]}}]
NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def _row(partner, credential_id, **over):
    row = {
        "credential_type": "compliance.partnercertification",
        "credential_id": credential_id,
        "partner_id": partner.pk,
        "territory_id": TerritoryFactory().pk,
        "name": AWKWARD[:120],
        "partner_name": partner.legal_name,
        "territory_name": "",
        "tier": "Gold",
        "status": "approved",
        "anniversary": date(2028, 2, 29),
        "as_of": date(2026, 3, 1),
        "compliant": False,
        "at_risk": True,
        "points": "",
        "csat_count": None,
        "csat_required": 3,
        "requirement_set": "",
        "requirements": JSON,
        "digest": "",
        "computed_at": NOW,
        "next_change_on": None,
    }
    row.update(over)
    return row


FIELDS = ["name", "anniversary", "compliant", "at_risk", "csat_count", "csat_required", "requirements", "computed_at"]


@pytest.fixture(autouse=True, params=["values", "copy"])
def path(request, monkeypatch):
    """On PostgreSQL few rows go in one INSERT ... VALUES, many through COPY: both ways are tested."""
    if request.param == "copy":
        monkeypatch.setattr(bulk, "SMALL", 0)


@pytest.fixture
def partner(db):
    return PartnerFactory()


def test_awkward_values_arrive_unchanged(partner):
    returned = copy_upsert(
        CredentialVerdict,
        [_row(partner, 1), _row(partner, 2, compliant=True, csat_count=0, requirements=bulk.Json(json.dumps(JSON)))],
        conflict=["credential_type", "credential_id"],
        returning=["credential_id", "compliant"],
    )
    assert sorted(returned) == [(1, False), (2, True)]
    first = CredentialVerdict.objects.values(*FIELDS).get(credential_id=1)
    assert first == {
        "name": AWKWARD[:120],
        "anniversary": date(2028, 2, 29),
        "compliant": False,
        "at_risk": True,
        "csat_count": None,
        "csat_required": 3,
        "requirements": JSON,
        "computed_at": NOW,
    }
    second = CredentialVerdict.objects.get(credential_id=2)
    assert (second.csat_count, second.requirements) == (0, JSON)  # JSON given encoded is written as it is


def test_conflict_updates_the_named_fields_only(partner):
    key = ["credential_type", "credential_id"]
    copy_upsert(CredentialVerdict, [_row(partner, 1)], conflict=key)
    returned = copy_upsert(
        CredentialVerdict,
        [_row(partner, 1, compliant=True, name="changed", tier="Silver"), _row(partner, 2)],
        conflict=key,
        update=["compliant", "name"],
        returning=["credential_id", "name"],
    )
    assert sorted(returned) == [(1, "changed"), (2, AWKWARD[:120])]
    assert CredentialVerdict.objects.values_list("compliant", "name", "tier").get(credential_id=1) == (
        True,
        "changed",
        "Gold",
    )


def test_without_update_conflicts_are_skipped_and_not_returned(partner):
    key = ["credential_type", "credential_id"]
    copy_upsert(CredentialVerdict, [_row(partner, 1)], conflict=key)
    returned = copy_upsert(
        CredentialVerdict,
        [_row(partner, 1, compliant=True), _row(partner, 3)],
        conflict=key,
        returning=["credential_id"],
    )
    assert returned == [(3,)]
    assert CredentialVerdict.objects.get(credential_id=1).compliant is False


def test_null_keys_never_conflict_and_repeated_keys_insert_once(partner):
    def event(key, summary):
        return {
            "partner_id": partner.pk,
            "kind": "compliance.verdict_changed",
            "summary": summary,
            "payload": {"s": AWKWARD},
            "occurred_at": NOW,
            "dedupe_key": key,
        }

    returned = copy_upsert(
        Event,
        [event("k1", "first"), event("k1", "again"), event(None, "a"), event(None, "b")],
        conflict=["dedupe_key"],
        returning=["summary"],
    )
    assert sorted(returned) == [("a",), ("b",), ("first",)]
    assert copy_upsert(Event, [event("k1", "later")], conflict=["dedupe_key"], returning=["summary"]) == []
    assert Event.objects.get(summary="a").payload == {"s": AWKWARD}
    assert Event.objects.count() == 3


def test_nothing_to_write(db):
    assert copy_upsert(Event, [], conflict=["dedupe_key"], returning=["id"]) == []


def test_copy_into_writes_the_rows_with_the_shared_values_and_returns_their_ids_in_order(partner):
    shared = {"partner_id": partner.pk, "requirements": JSON, "computed_at": NOW}
    columns = [k for k in _row(partner, 0) if k not in shared]
    rows = [tuple(v for k, v in _row(partner, n).items() if k not in shared) for n in (3, 1, 2)]
    ids = bulk.copy_into(CredentialVerdict, columns, rows, same=shared)
    saved = CredentialVerdict.objects.in_bulk(ids)
    assert [saved[pk].credential_id for pk in ids] == [3, 1, 2]
    assert all(
        (v.partner_id, v.name, v.anniversary, v.requirements, v.computed_at)
        == (partner.pk, AWKWARD[:120], date(2028, 2, 29), JSON, NOW)
        for v in saved.values()
    )


def test_copy_into_leaves_a_unique_conflict_to_the_caller(partner):
    columns = list(_row(partner, 0))
    bulk.copy_into(CredentialVerdict, columns, [tuple(_row(partner, 1).values())])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.copy_into(CredentialVerdict, columns, [tuple(_row(partner, n).values()) for n in (2, 1)])
    assert list(CredentialVerdict.objects.values_list("credential_id", flat=True)) == [1]
