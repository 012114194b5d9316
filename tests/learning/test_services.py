"""The one write path: form, CSV and API all go through learning_records_import."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core import bulk
from core.models import Event, PendingRecompute
from learning import services
from learning.forms import csv_rows
from learning.models import LearningRecord
from learning.services import (
    learning_record_create,
    learning_record_reverse,
    learning_records_import,
)
from partners.access import SYSTEM
from tests.factories import AssociationFactory, IndividualFactory, PartnerFactory
from tests.learning.factories import KnowledgeSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2017-03-01 12:00 -08:00", tick=False):
        yield


@pytest.fixture
def partner():
    return PartnerFactory(legal_name="Alpha")


@pytest.fixture
def people(partner):
    return [
        AssociationFactory(partner=partner, individual=IndividualFactory(testing_number=f"CSCO{n}")).individual
        for n in (1, 2)
    ]


@pytest.fixture
def sessions():
    return {
        "S5": KnowledgeSessionFactory(code="S5", points=5),
        "PREP": KnowledgeSessionFactory(code="PREP", points=10, via_assessment=True),
    }


GOOD_CSV = """testing_number,session_code,occurred_on,how
CSCO1,S5,2017-01-10,viewed
CSCO2,S5,2017-01-11,downloaded
CSCO2,PREP,2017-01-12,assessment_passed
"""


def test_csv_dry_run_shows_every_row_and_saves_nothing(partner, people, sessions):
    result = learning_records_import(
        partner=partner, records=csv_rows(GOOD_CSV), source="csv", dry_run=True, actor=SYSTEM
    )
    assert [(o.line, o.status) for o in result.outcomes] == [(2, "new"), (3, "new"), (4, "new")]
    assert result.outcomes[1].note == "A download is not registered: no points."
    assert not result.saved and LearningRecord.objects.count() == 0


def test_csv_with_one_bad_row_among_good_ones_saves_nothing_and_names_the_line(partner, people, sessions):
    text = GOOD_CSV + "CSCO1,NOPE,2017-01-13,viewed\nCSCO1,S5,2017-13-01,viewed\nCSCO2,S5,2017-02-01,viewed\n"
    result = learning_records_import(partner=partner, records=csv_rows(text), source="csv", actor=SYSTEM)
    bad = {o.line: o.errors for o in result.errors}
    assert bad == {
        5: {"session_code": "No knowledge session has the code 'NOPE'."},
        6: {"occurred_on": "'2017-13-01' is not a date (use YYYY-MM-DD)."},
    }
    assert not result.saved and LearningRecord.objects.count() == 0
    assert not PendingRecompute.objects.exists()


def test_uploading_the_same_file_twice_adds_nothing_the_second_time(partner, people, sessions):
    first = learning_records_import(partner=partner, records=csv_rows(GOOD_CSV), source="csv", actor=SYSTEM)
    assert first.count("created") == 3 and first.saved
    again = learning_records_import(partner=partner, records=csv_rows(GOOD_CSV), source="csv", actor=SYSTEM)
    assert again.count("duplicate") == 3 and not again.saved
    assert LearningRecord.objects.count() == 3
    assert Event.objects.filter(kind="learning.recorded").count() == 1


def test_recording_queues_one_recompute_of_the_partner(partner, people, sessions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        learning_records_import(partner=partner, records=csv_rows(GOOD_CSV), source="csv", actor=SYSTEM)
    assert PendingRecompute.objects.filter(partner=partner).count() == 1
    assert len(callbacks) == 1


def test_records_are_checked_against_the_partner_and_the_rules(partner, people, sessions):
    AssociationFactory(partner=PartnerFactory(), individual=IndividualFactory(testing_number="OTHER"))
    rows = [
        {
            "client_record_id": "a",
            "testing_number": "OTHER",
            "session_code": "S5",
            "occurred_on": "2017-01-02",
            "how": "viewed",
        },
        {
            "client_record_id": "b",
            "testing_number": "CSCO1",
            "session_code": "S5",
            "occurred_on": "2017-03-02",
            "how": "viewed",
        },
        {
            "client_record_id": "c",
            "testing_number": "CSCO1",
            "session_code": "S5",
            "occurred_on": "2017-01-02",
            "how": "assessment_passed",
        },
        {
            "client_record_id": "d",
            "testing_number": "CSCO1",
            "session_code": "S5",
            "occurred_on": "2014-01-02",
            "how": "viewed",
        },
        {
            "client_record_id": "",
            "testing_number": "CSCO1",
            "session_code": "S5",
            "occurred_on": "2017-01-02",
            "how": "skimmed",
            "colour": "red",
        },
    ]
    result = learning_records_import(partner=partner, records=rows, actor=SYSTEM)
    errors = [o.errors for o in result.outcomes]
    assert errors[0] == {"testing_number": "No individual with this testing number works for Alpha on 2017-01-02."}
    assert errors[1] == {"occurred_on": "2017-03-02 is in the future."}
    assert errors[2] == {"how": "The session 'S5' has no online assessment."}
    assert errors[3]["testing_number"] == "No individual with this testing number works for Alpha on 2014-01-02."
    assert set(errors[4]) == {"client_record_id", "how", "colour"}


def test_partial_import_saves_the_good_records_when_asked(partner, people, sessions):
    rows = csv_rows(GOOD_CSV + "CSCO9,S5,2017-01-13,viewed\n")
    result = learning_records_import(partner=partner, records=rows, all_or_nothing=False, actor=SYSTEM)
    assert [o.status for o in result.outcomes] == ["created", "created", "created", "error"]
    assert LearningRecord.objects.count() == 3


def test_a_reused_client_id_for_a_different_record_is_an_error(partner, people, sessions):
    base = {"testing_number": "CSCO1", "session_code": "S5", "occurred_on": "2017-01-02", "how": "viewed"}
    learning_records_import(partner=partner, records=[{**base, "client_record_id": "x1"}], actor=SYSTEM)
    result = learning_records_import(
        partner=partner, records=[{**base, "client_record_id": "x1", "how": "downloaded"}], actor=SYSTEM
    )
    assert "already used by entry" in result.outcomes[0].errors["client_record_id"]


@pytest.mark.parametrize("copy", [False, True], ids=["values", "copy"])
def test_an_id_recorded_meanwhile_outside_the_lock_fails_the_whole_import(partner, people, sessions, monkeypatch, copy):
    """The ledger is read once under the partner's lock; should another writer add an id anyway, the insert's
    unique constraint fails the import as a whole with a clear message."""
    if copy:
        monkeypatch.setattr(bulk, "SMALL", 0)  # PostgreSQL: the COPY path
    learning_records_import(partner=partner, records=csv_rows(GOOD_CSV), source="csv", actor=SYSTEM)
    monkeypatch.setattr(services, "_existing", lambda partner, cids: {})  # as if read before the other writer
    with pytest.raises(ValidationError, match="recorded some of these client record ids meanwhile"):
        learning_records_import(
            partner=partner, records=csv_rows(GOOD_CSV + "CSCO1,S5,2017-02-01,viewed\n"), source="csv", actor=SYSTEM
        )
    assert LearningRecord.objects.count() == 3
    assert Event.objects.filter(kind="learning.recorded").count() == 1


def test_form_path_returns_the_first_record_on_a_double_submit(partner, people, sessions):
    kwargs = dict(
        partner=partner,
        individual=people[0],
        session=sessions["S5"],
        occurred_on=date(2017, 2, 1),
        how="viewed",
        client_record_id="form:1",
    )
    first, second = learning_record_create(**kwargs, actor=SYSTEM), learning_record_create(**kwargs, actor=SYSTEM)
    assert first.pk == second.pk and LearningRecord.objects.count() == 1
    with pytest.raises(ValidationError) as err:
        learning_record_create(
            **{**kwargs, "client_record_id": "form:2", "occurred_on": date(2018, 1, 1)}, actor=SYSTEM
        )
    assert "occurred_on" in err.value.message_dict


def test_reversal_is_a_new_entry_with_a_reason_and_happens_once(partner, people, sessions):
    record = learning_record_create(
        partner=partner,
        individual=people[0],
        session=sessions["S5"],
        occurred_on=date(2017, 2, 1),
        how="viewed",
        client_record_id="r1",
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError):
        learning_record_reverse(record=record, reason="  ", actor=SYSTEM)
    reversal = learning_record_reverse(record=record, reason="Wrong person", actor=SYSTEM)
    assert (reversal.reversal_of, reversal.reason, reversal.occurred_on) == (record, "Wrong person", date(2017, 3, 1))
    assert LearningRecord.objects.count() == 2  # nothing deleted
    with pytest.raises(ValidationError, match="already been reversed"):
        learning_record_reverse(record=record, reason="Again", actor=SYSTEM)
    assert Event.objects.filter(kind="learning.reversed").count() == 1


def test_more_than_ten_thousand_records_are_refused(partner):
    with pytest.raises(ValidationError, match="At most 10,000"):
        learning_records_import(partner=partner, records=[{}] * 10_001, actor=SYSTEM)


def test_csv_needs_its_header():
    from django import forms

    with pytest.raises(forms.ValidationError, match="missing: how"):
        csv_rows("testing_number,session_code,occurred_on\nA,B,2017-01-01\n")
