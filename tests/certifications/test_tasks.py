"""The daily reminder job: 90 and 30 days before expiry, once each, to the individual."""

from datetime import date, timedelta

import pytest
import time_machine

from certifications import services
from certifications.tasks import ce_send_reminders
from core.models import Event, Notice
from partners.access import SYSTEM

from .factories import CertificationFactory, ClaimFactory

pytestmark = pytest.mark.django_db
EXPIRES = date(2026, 9, 1)  # certified 2023-09-01


def _run(as_of):
    return ce_send_reminders(as_of.isoformat())


def _reminders():
    return list(
        Event.objects.filter(kind="ce_certification.reminded").order_by("pk").values_list("payload__days", flat=True)
    )


def test_daily_job_sends_90_and_30_day_reminders_once_each(individual_a):
    CertificationFactory(individual=individual_a, certified_on=date(2023, 9, 1))
    assert _run(EXPIRES - timedelta(days=91)) == 0
    assert _run(EXPIRES - timedelta(days=90)) == 1
    assert _run(EXPIRES - timedelta(days=90)) == 0  # the job ran twice the same day
    assert _run(EXPIRES - timedelta(days=89)) == 0
    assert _run(EXPIRES - timedelta(days=31)) == 0
    assert _run(EXPIRES - timedelta(days=30)) == 1
    assert _run(EXPIRES - timedelta(days=29)) == 0
    assert _run(EXPIRES) == 0
    assert _run(EXPIRES + timedelta(days=1)) == 0
    assert _reminders() == [90, 30]
    notices = Notice.objects.filter(event__kind="ce_certification.reminded")
    assert {n.recipient for n in notices} == {individual_a.email} and notices.count() == 2
    assert "expires on 1 September 2026 (30-day reminder)" in notices.order_by("pk").last().subject


def test_a_missed_day_is_caught_up_with_the_most_urgent_reminder_only(individual_a):
    CertificationFactory(individual=individual_a, certified_on=date(2023, 9, 1))
    assert _run(EXPIRES - timedelta(days=25)) == 1
    assert _reminders() == [30]


def test_reminder_shows_progress_and_renewal_cancels_pending_reminders(individual_a):
    cert = CertificationFactory(individual=individual_a, certified_on=date(2023, 9, 1))
    ClaimFactory(individual=individual_a, credits=45, ended_on=date(2025, 1, 1))
    _run(EXPIRES - timedelta(days=60))
    notice = Notice.objects.get(event__kind="ce_certification.reminded")
    assert "45/80 CE" in notice.body_text and "40/40 CE + 0/1 professional exam" in notice.body_text
    ClaimFactory(individual=individual_a, credits=40, ended_on=date(2025, 2, 1))
    with time_machine.travel("2026-07-10 19:00:00+00:00", tick=False):
        services.ce_certification_renew(certification=cert, actor=SYSTEM)
    notice.refresh_from_db()
    assert notice.status in (Notice.CANCELLED, Notice.SENT)


def test_the_reminders_cost_the_same_queries_for_few_or_many(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def remind(count, day):
        for _ in range(count):
            CertificationFactory(certified_on=date(2023, 9, 1))
        with django_assert_max_num_queries(20), django_capture_on_commit_callbacks(execute=False):
            return services.ce_reminders_send(as_of=day)

    assert remind(2, EXPIRES - timedelta(days=90)) == 2
    assert remind(25, EXPIRES - timedelta(days=30)) == 27  # the two earlier ones get their 30-day reminder too
    assert Notice.objects.count() == 29
