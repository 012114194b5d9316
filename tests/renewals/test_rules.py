"""The lifecycle rules as pure functions, on the boundary days of RULES 6 and 7."""

from datetime import date, timedelta

import pytest

from core.dates import add_years
from renewals import rules

POLICY = rules.Policy(
    id=1,
    effective_from=date(2000, 1, 1),
    recert_window_days=90,
    reminder_days=(30, 7),
    lapse_after_days=30,
    acknowledge_days=30,
)
ANN = date(2026, 8, 1)


def step(status, as_of, **kw):
    facts = rules.CredentialFacts(status=status, anniversary=kw.pop("anniversary", ANN), **kw)
    return rules.renewal_step(facts, POLICY, as_of)


@pytest.mark.parametrize("days_before, expected", [(91, None), (90, rules.Step("recert")), (89, rules.Step("recert"))])
def test_approved_becomes_recert_from_90_days_before(days_before, expected):
    assert step("approved", ANN - timedelta(days=days_before)) == expected


def test_recert_day_sends_no_reminder_and_reminders_come_on_their_days():
    entered = ANN - timedelta(days=90)
    assert step("recert", ANN - timedelta(days=89), status_changed_on=entered) is None
    assert step("recert", ANN - timedelta(days=31), status_changed_on=entered) is None
    assert step("recert", ANN - timedelta(days=30), status_changed_on=entered) == rules.Step("reminder", 30)
    assert step("recert", ANN - timedelta(days=8), status_changed_on=entered) == rules.Step("reminder", 30)
    assert step("recert", ANN - timedelta(days=7), status_changed_on=entered) == rules.Step("reminder", 7)
    assert step("recert", ANN, status_changed_on=entered) == rules.Step("reminder", 7)
    assert step("recert", ANN + timedelta(days=1), status_changed_on=entered) is None


def test_late_entry_into_recert_skips_the_reminders_it_already_covers():
    entered = ANN - timedelta(days=20)  # e.g. certified late or the scan missed days
    assert step("recert", ANN - timedelta(days=19), status_changed_on=entered) is None
    assert step("recert", ANN - timedelta(days=7), status_changed_on=entered) == rules.Step("reminder", 7)


def test_no_reminder_once_a_renewal_is_submitted():
    assert (
        step("recert", ANN - timedelta(days=7), has_live_renewal=True, status_changed_on=ANN - timedelta(days=90))
        is None
    )


@pytest.mark.parametrize("days_after, lost", [(0, False), (30, False), (31, True)])
def test_lost_the_day_after_the_last_day_to_submit(days_after, lost):
    result = step("recert", ANN + timedelta(days=days_after), status_changed_on=ANN - timedelta(days=7))
    assert (result == rules.Step("lapse")) is lost


def test_a_submitted_renewal_prevents_the_lapse():
    assert step("recert", ANN + timedelta(days=31), has_live_renewal=True) is None


def test_retired_specialization_is_lost_on_its_retirement_date():
    retired = date(2026, 3, 1)
    assert step("approved", retired - timedelta(days=1), retired_on=retired) is None
    assert step("approved", retired, retired_on=retired) == rules.Step("retire")


def test_lapsed_and_revoked_credentials_are_left_alone():
    assert step("lapsed", ANN + timedelta(days=100)) is None
    assert step("revoked", ANN) is None


def test_29_february_anniversary():
    ann = date(2028, 2, 29)
    assert step("approved", date(2027, 11, 30), anniversary=ann) is None  # 91 days before
    assert step("approved", date(2027, 12, 1), anniversary=ann) == rules.Step("recert")  # 90 days before
    assert add_years(ann, 1) == date(2029, 2, 28)
    assert rules.renewed_dates(
        status="recert", anniversary=ann, renewal_date=date(2028, 2, 1), approved_on=date(2028, 2, 3)
    ) == {"last_renewed_on": ann, "anniversary": date(2029, 2, 28), "renewed_on": date(2028, 2, 3)}


def test_renewal_after_a_lapse_starts_a_new_period_on_the_renewal_date():
    assert rules.renewed_dates(
        status="lapsed", anniversary=ANN, renewal_date=date(2026, 10, 5), approved_on=date(2026, 10, 7)
    ) == {
        "certified_on": date(2026, 10, 5),
        "last_renewed_on": date(2026, 10, 5),
        "anniversary": date(2027, 10, 5),
        "renewed_on": date(2026, 10, 7),
    }


def test_submission_blockers():
    facts = rules.CredentialFacts(status="approved", anniversary=ANN)
    assert rules.submission_blockers(facts, POLICY, ANN - timedelta(days=91)) == [
        "The renewal window opens on 2026-05-03, 90 days before the anniversary on 2026-08-01."
    ]
    assert rules.submission_blockers(facts, POLICY, ANN - timedelta(days=90)) == []
    lapsed = rules.CredentialFacts(status="lapsed", anniversary=ANN)
    assert rules.submission_blockers(lapsed, POLICY, ANN + timedelta(days=60)) == []
    assert rules.submission_blockers(rules.CredentialFacts(status="revoked", anniversary=ANN), POLICY, ANN)
    assert rules.submission_blockers(
        rules.CredentialFacts(status="recert", anniversary=ANN, has_live_renewal=True), POLICY, ANN
    )


OPENED = date(2026, 3, 1)
ACK_BY = OPENED + timedelta(days=30)


def incident(**kw):
    return rules.IncidentFacts(
        **{"acknowledged": False, "acknowledge_by": ACK_BY, "extension_end": None, "flagged": False, **kw}
    )


def test_incident_opens_when_non_compliant_and_closes_when_compliant():
    assert rules.incident_step(None, False, OPENED) == "open"
    assert rules.incident_step(None, True, OPENED) is None
    assert rules.incident_step(incident(), True, OPENED) == "close"


def test_unacknowledged_incident_is_flagged_the_day_after_its_30_days():
    assert rules.incident_step(incident(), False, ACK_BY) is None
    assert rules.incident_step(incident(), False, ACK_BY + timedelta(days=1)) == "flag"
    assert rules.incident_step(incident(flagged=True), False, ACK_BY + timedelta(days=2)) is None


def test_extension_holds_until_its_last_day():
    ext = incident(acknowledged=True, extension_end=date(2026, 5, 15))
    assert rules.incident_step(ext, False, ACK_BY + timedelta(days=1)) is None
    assert rules.incident_step(ext, False, date(2026, 5, 15)) is None
    assert rules.incident_step(ext, False, date(2026, 5, 16)) == "flag"
    assert rules.incident_step(ext, True, date(2026, 5, 16)) == "close"
