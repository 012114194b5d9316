"""The daily scan on the boundary days, run the way operators run it (the command and the task)."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core.models import Event, Notice
from renewals import tasks
from renewals.models import NonComplianceIncident, RenewalPolicy
from tests.factories import PartnerFactory, make_user
from tests.renewals.factories import RenewalApplicationFactory
from tests.specializations.factories import (
    PartnerSpecializationFactory,
    SpecializationFactory,
)

ANN = date(2026, 8, 1)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(day): travel to `day` (noon in the program time zone) and run the daily jobs for today through
    the command, with the notices delivered after commit."""

    def _run(day):
        with (
            time_machine.travel(f"{day.isoformat()} 12:00:00-07:00", tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("run_daily", no_recompute=True, stdout=StringIO())

    return _run


def test_run_daily_replays_a_missed_day_given_as_of(held, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-05-10 12:00:00-07:00", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_daily", as_of="2026-05-02", no_recompute=True, stdout=StringIO())
        assert refresh(held).status == "approved"  # 91 days before: nothing yet
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_daily", as_of="2026-05-03", no_recompute=True, stdout=StringIO())
    assert (refresh(held).status, held.status_changed_on) == ("recert", date(2026, 5, 3))
    assert Event.objects.get(kind="renewal.opened").payload["as_of"] == "2026-05-03"


def recert_mails():
    return [m for m in mail.outbox if m.subject.startswith("Re-certification")]


def refresh(obj):
    obj.refresh_from_db()
    return obj


def test_nothing_happens_91_days_before(run, held):
    run(ANN - timedelta(days=91))
    assert refresh(held).status == "approved"
    assert mail.outbox == []


def test_recert_90_days_before_notifies_admins_with_manager_in_copy_once(run, held, verdicts):
    verdicts.fail(held)
    run(ANN - timedelta(days=90))
    assert refresh(held).status == "recert"
    assert held.status_changed_on == ANN - timedelta(days=90)
    [message] = recert_mails()
    assert message.to == ["admin-a@example.com"] and message.cc == ["manager-a@example.com"]
    assert "2026-08-01" in message.subject
    assert "Continuous Learning points (Missed): 25 more points are needed (75/100)." in message.body
    assert "its status is now Re-Cert." in message.body  # core.status's word
    assert f"/renewals/partnerspecialization/{held.pk}/" in message.body
    assert "2026-08-31" in message.body  # the last day to submit
    html = message.alternatives[0][0]
    assert "<strong>Continuous Learning points</strong>" in html

    run(ANN - timedelta(days=90))  # the same day replayed
    run(ANN - timedelta(days=89))
    assert len(recert_mails()) == 1
    assert Event.objects.filter(kind="renewal.opened", partner=held.partner).count() == 1


def test_reminders_30_and_7_days_before_each_once(run, held):
    for days in range(90, -1, -1):
        run(ANN - timedelta(days=days))
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        subjects[0],
        "Reminder: " + held.title + " renews in 30 days",
        "Reminder: " + held.title + " renews in 7 days",
    ]
    events = Event.objects.filter(kind="renewal.reminded").order_by("id")
    assert [e.payload["as_of"] for e in events] == ["2026-07-02", "2026-07-25"]


def test_reminder_schedule_is_policy_data(run, held):
    RenewalPolicy.objects.create(
        effective_from=date(2026, 1, 1),
        recert_window_days=60,
        reminder_days=[14],
        lapse_after_days=30,
        acknowledge_days=30,
    )
    run(ANN - timedelta(days=61))
    assert refresh(held).status == "approved"
    for days in range(60, -1, -1):
        run(ANN - timedelta(days=days))
    assert [e.payload["days"] for e in Event.objects.filter(kind="renewal.reminded")] == [14]


@pytest.mark.parametrize("days_after, status", [(0, "recert"), (30, "recert"), (31, "lapsed")])
def test_lost_31_days_after_the_anniversary_without_a_renewal(run, held, days_after, status):
    run(ANN - timedelta(days=90))
    run(ANN + timedelta(days=days_after))
    assert refresh(held).status == status
    lapsed = Notice.objects.filter(event__kind="credential.lapsed")
    assert lapsed.count() == (1 if status == "lapsed" else 0)


def test_submitted_renewal_prevents_the_lapse(run, held):
    run(ANN - timedelta(days=90))
    RenewalApplicationFactory(of=refresh(held))
    run(ANN + timedelta(days=31))
    assert refresh(held).status == "recert"


def test_retired_specialization_is_lost_at_its_retirement_date(run, partner_a, people, verdicts):
    spec = SpecializationFactory(
        name="Borderless Network Architecture", end_of_sale=date(2014, 7, 1), retired_on=date(2015, 7, 1)
    )
    held = PartnerSpecializationFactory(
        partner=partner_a, specialization=spec, certified_on=date(2013, 1, 1), anniversary=date(2016, 1, 1)
    )
    run(date(2015, 6, 30))
    assert refresh(held).status == "approved"
    run(date(2015, 7, 1))
    assert refresh(held).status == "lapsed"
    [message] = mail.outbox
    assert "retired on 2015-07-01" in message.body


def test_29_february_anniversary(run, partner_a, people, verdicts):
    held = PartnerSpecializationFactory(
        partner=partner_a, certified_on=date(2026, 2, 28), anniversary=date(2028, 2, 29)
    )
    run(date(2027, 11, 30))
    assert refresh(held).status == "approved"
    run(date(2027, 12, 1))
    assert refresh(held).status == "recert"
    run(date(2028, 3, 30))  # 30 days after
    assert refresh(held).status == "recert"
    run(date(2028, 3, 31))
    assert refresh(held).status == "lapsed"


@pytest.mark.parametrize(
    "utc, status",
    [
        (datetime(2026, 5, 3, 6, 59, tzinfo=UTC), "approved"),  # 23:59 on 2 May in Los Angeles
        (datetime(2026, 5, 3, 7, 0, tzinfo=UTC), "recert"),  # midnight on 3 May in Los Angeles
    ],
)
def test_the_scan_uses_the_program_time_zone_not_utc(settings, held, utc, status):
    settings.PROGRAM_TIME_ZONE = "America/Los_Angeles"
    with time_machine.travel(utc, tick=False):
        tasks.daily_scan()  # as the beat runs it: no date given, today in the program time zone
    assert refresh(held).status == status


def test_replaying_a_day_twice_changes_and_sends_nothing(run, held, partner_b, verdicts):
    others = PartnerSpecializationFactory.create_batch(5, partner=partner_b, anniversary=ANN - timedelta(days=40))
    run(ANN - timedelta(days=90))
    run(ANN - timedelta(days=7))
    sent, events = len(mail.outbox), Event.objects.count()
    states = [(c.status, c.status_changed_on) for c in map(refresh, [held, *others])]
    run(ANN - timedelta(days=7))
    run(ANN - timedelta(days=90))
    assert (len(mail.outbox), Event.objects.count()) == (sent, events)
    assert [(c.status, c.status_changed_on) for c in map(refresh, [held, *others])] == states


def _many(n, anniversary):
    partners = PartnerFactory.create_batch(max(1, n // 5))
    for p in partners:
        make_user("partner_admin", partner=p)
    specs = SpecializationFactory.create_batch(5)
    return [
        PartnerSpecializationFactory(
            partner=partners[i // 5], specialization=specs[i % 5], anniversary=anniversary + timedelta(days=i % 3)
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [15, 60])
def test_scan_queries_do_not_grow_with_the_number_of_credentials(db, django_assert_max_num_queries, verdicts, n):
    creds = _many(n, ANN)
    for c in creds[::2]:
        verdicts.fail(c)
    with django_assert_max_num_queries(30):  # the same bound for 15 and for 60 credentials
        summary = tasks.daily_scan(as_of=(ANN - timedelta(days=88)).isoformat())
    assert summary["recert"] == n and summary["incidents_opened"] == len(creds[::2])
    assert Notice.objects.filter(event__kind="renewal.opened").count() == n


def test_incident_opens_flags_on_the_day_after_30_days_and_staff_confirm(run, held, verdicts, staff_user):
    day = date(2026, 3, 1)
    verdicts.fail(held)
    run(day)
    incident = NonComplianceIncident.objects.get()
    assert (incident.opened_on, incident.acknowledge_by) == (day, date(2026, 3, 31))
    assert mail.outbox[0].to == ["admin-a@example.com"] and "2026-03-31" in mail.outbox[0].subject
    run(date(2026, 3, 31))
    assert refresh(incident).flagged_for_revocation_on is None
    run(date(2026, 4, 1))
    assert refresh(incident).flagged_for_revocation_on == date(2026, 4, 1)
    assert refresh(held).status == "approved"  # staff confirm (AUTO_REVOKE off)
    flagged = [m for m in mail.outbox if m.subject.startswith("Flagged")]
    assert len(flagged) == 1 and "staff-user@example.com" in flagged[0].cc
    kinds = list(Event.objects.filter(partner=held.partner).values_list("kind", flat=True))
    assert "incident.opened" in kinds and "incident.flagged" in kinds


def test_auto_revoke_setting_revokes_when_flagged(run, held, verdicts, settings):
    settings.AUTO_REVOKE = True
    verdicts.fail(held)
    run(date(2026, 3, 1))
    run(date(2026, 4, 1))
    assert refresh(held).status == "revoked"
    incident = NonComplianceIncident.objects.get()
    assert (incident.closed_on, incident.resolution) == (date(2026, 4, 1), "revoked")


def test_incident_closes_when_compliant_again(run, held, verdicts):
    verdicts.fail(held)
    run(date(2026, 3, 1))
    verdicts.comply(held)
    run(date(2026, 3, 10))
    incident = NonComplianceIncident.objects.get()
    assert (incident.closed_on, incident.resolution) == (date(2026, 3, 10), "compliant")
    verdicts.fail(held)
    run(date(2026, 3, 12))
    assert NonComplianceIncident.objects.filter(closed_on__isnull=True).count() == 1  # a new incident


def test_run_daily_with_the_real_recompute_and_verdicts(partner_a, people, django_capture_on_commit_callbacks):
    held = PartnerSpecializationFactory(partner=partner_a, certified_on=date(2024, 8, 1), anniversary=ANN)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_daily", as_of="2026-05-03", stdout=StringIO())
    assert refresh(held).status == "recert"
    [message] = recert_mails()
    assert "Continuous Learning points" in message.body  # what the compliance engine says is missing
