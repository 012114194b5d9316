"""Accounts, tiering, awards, redemptions, expiry and warnings through the services (RULES 9)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.models import Event, Notice
from loyalty import selectors
from loyalty.models import Booking, CreditLot, LedgerEntry, Redemption, TierPlacement
from loyalty.services import accounts, jobs, redemptions
from partners.access import SYSTEM
from tests.loyalty.conftest import on
from tests.loyalty.factories import (
    AccountFactory,
    BookingFactory,
    make_captain,
    make_lot,
)

pytestmark = pytest.mark.django_db


def balance(account):
    return sum(account.ledger.values_list("amount", flat=True))


def _place_tier_2(account, year=2027):
    for fy in (year - 1, year - 2, year - 3):
        BookingFactory(account=account, fiscal_year=fy, kind=Booking.PRODUCT, net_amount=Decimal("1000000"))


# Terms ---------------------------------------------------------------------------------------------------------------


def test_captain_needs_a_vendor_login_id():
    with pytest.raises(ValidationError) as exc:
        accounts.account_create(
            name="X", customer_number="X1", captain=make_captain("nolog", login_id=""), actor=SYSTEM
        )
    assert "vendor login ID" in str(exc.value)


def test_only_the_captain_accepts_and_who_and_when_are_recorded(am, captain):
    account = AccountFactory(captain=captain, account_manager=am, terms_accepted_on=None, terms_accepted_by=None)
    with pytest.raises(ValidationError):
        accounts.terms_accept(account=account, actor=am)
    with on(date(2026, 10, 31)):
        account = accounts.terms_accept(account=account, actor=captain)
    assert (account.terms_accepted_by, account.terms_accepted_on) == (captain, date(2026, 10, 31))
    assert Event.objects.get(kind="loyalty.terms_accepted").payload["awards_start"] == "FY2027 Q2"
    with pytest.raises(ValidationError):
        accounts.terms_accept(account=account, actor=captain)


@pytest.mark.parametrize(
    "accepted_on, jan_award, apr_award",
    [
        (date(2026, 10, 31), True, True),  # last day of Q1: the January award is the first
        (date(2026, 11, 1), False, True),  # first day of Q2: nothing in January, first award in April
    ],
)
def test_terms_accepted_last_day_of_quarter_and_first_day_of_next(am, captain, accepted_on, jan_award, apr_award):
    account = AccountFactory(captain=captain, account_manager=am, terms_accepted_on=None, terms_accepted_by=None)
    _place_tier_2(account)
    with on(accepted_on):
        accounts.terms_accept(account=account, actor=captain)
    jobs.tiers_place(as_of=date(2026, 8, 1))
    assert (jobs.awards_issue(as_of=date(2027, 1, 15)) == 1) is jan_award
    assert (jobs.awards_issue(as_of=date(2027, 4, 15)) == 1) is apr_award


# Tiering ----------------------------------------------------------------------------------------------------------------


def test_august_retiering_excludes_wpa_and_multi_year_bookings(account, other_account):
    for fy in (2024, 2025, 2026):
        BookingFactory(account=account, fiscal_year=fy, kind=Booking.PRODUCT, net_amount=Decimal("600000"))
        BookingFactory(account=account, fiscal_year=fy, kind=Booking.SERVICE, net_amount=Decimal("300000"))
        BookingFactory(account=account, fiscal_year=fy, kind=Booking.WPA, net_amount=Decimal("9000000"))
        BookingFactory(account=account, fiscal_year=fy, kind=Booking.MULTI_YEAR, net_amount=Decimal("9000000"))
    BookingFactory(account=account, fiscal_year=2023, kind=Booking.PRODUCT, net_amount=Decimal("90000000"))  # too old
    BookingFactory(account=account, fiscal_year=2027, kind=Booking.PRODUCT, net_amount=Decimal("90000000"))  # this year
    BookingFactory(account=other_account, fiscal_year=2026, kind=Booking.PRODUCT, net_amount=Decimal("3000000"))
    assert jobs.tiers_place(as_of=date(2026, 8, 1)) == 2
    placement = TierPlacement.objects.get(account=account, fiscal_year=2027)
    assert placement.average_bookings == Decimal("900000.00")
    assert placement.tier.name == "Tier 1" and placement.years == [2024, 2025, 2026]
    other = TierPlacement.objects.get(account=other_account, fiscal_year=2027)
    assert other.tier.name == "Tier 2"  # 3,000,000 / 3 years
    assert jobs.tiers_place(as_of=date(2026, 8, 2)) == 0  # once per fiscal year


def test_retiering_outcome_is_known_before_the_october_award(account, am):
    _place_tier_2(account)
    jobs.loyalty_jobs_run(as_of=date(2026, 8, 1))
    assert not CreditLot.objects.exists()
    assert selectors.account_get(user=am, pk=account.pk, as_of=date(2026, 9, 1)).tier_name == "Tier 2"


# Awards -----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "award_day, quarter",
    [
        (date(2026, 10, 1), 1),
        (date(2027, 1, 31), 2),
        (date(2027, 4, 15), 3),
        (date(2027, 7, 20), 4),
    ],
)
def test_each_award_month_issues_the_tier_award(account, award_day, quarter):
    _place_tier_2(account)
    jobs.tiers_place(as_of=date(2026, 8, 1))
    assert jobs.awards_issue(as_of=award_day) == 1
    lot = CreditLot.objects.get(account=account)
    assert (lot.fiscal_year, lot.quarter, lot.amount, lot.issued_on) == (2027, quarter, 75, award_day)
    assert lot.expires_on.replace(year=lot.expires_on.year - 1) == award_day
    assert balance(account) == 75
    assert mail.outbox == [] and Notice.objects.filter(recipient=account.captain.email).count() == 1


@pytest.mark.parametrize("day", [date(2026, 8, 15), date(2026, 9, 30), date(2026, 11, 1), date(2027, 3, 31)])
def test_no_award_outside_award_months(account, day):
    _place_tier_2(account)
    jobs.tiers_place(as_of=date(2026, 8, 1))
    assert jobs.awards_issue(as_of=day) == 0


def test_award_job_run_twice_in_one_month_awards_once(account):
    _place_tier_2(account)
    jobs.tiers_place(as_of=date(2026, 8, 1))
    assert jobs.awards_issue(as_of=date(2026, 10, 1)) == 1
    assert jobs.awards_issue(as_of=date(2026, 10, 1)) == 0
    assert jobs.awards_issue(as_of=date(2026, 10, 31)) == 0
    assert CreditLot.objects.filter(account=account).count() == 1 and balance(account) == 75


def test_the_unique_constraint_refuses_a_second_award_for_the_quarter(account):
    make_lot(account, 10, date(2026, 10, 1))
    with pytest.raises(IntegrityError):
        make_lot(account, 10, date(2026, 10, 20))


def test_account_without_accepted_terms_gets_no_award(am):
    account = AccountFactory(account_manager=am, terms_accepted_on=None, terms_accepted_by=None)
    _place_tier_2(account)
    jobs.tiers_place(as_of=date(2026, 8, 1))
    assert jobs.awards_issue(as_of=date(2026, 10, 1)) == 0


# Lots, expiry ---------------------------------------------------------------------------------------------------------


def test_lot_issued_on_29_february_expires_28_february_next_year(account):
    # February is not an award month, so the lot is made directly with the award job's expiry rule (12 months).
    lot = make_lot(account, 40, date(2028, 2, 29))
    assert lot.expires_on == date(2029, 2, 28)
    with on(date(2029, 2, 28)):
        redemption, _ = redemptions.redemption_create(
            account=account, kind="digital", amount=5, description="Last day", actor=account.captain
        )
    assert redemption.ordered_on == date(2029, 2, 28)
    assert jobs.lots_expire(as_of=date(2029, 2, 28)) == 0
    assert jobs.lots_expire(as_of=date(2029, 3, 1)) == 1
    expiry = LedgerEntry.objects.get(kind=LedgerEntry.EXPIRY)
    assert (expiry.amount, expiry.occurred_on) == (-35, date(2029, 3, 1))
    assert balance(account) == 0
    assert jobs.lots_expire(as_of=date(2029, 3, 2)) == 0
    with on(date(2029, 3, 1)), pytest.raises(ValidationError):
        redemptions.redemption_create(
            account=account, kind="digital", amount=1, description="Too late", actor=account.captain
        )


def test_expiry_warnings_60_and_30_days_before_once_each(account):
    make_lot(account, 50, date(2026, 4, 15))  # expires 2027-04-15
    assert jobs.expiry_warnings_send(as_of=date(2027, 2, 13)) == 0
    assert jobs.expiry_warnings_send(as_of=date(2027, 2, 14)) == 1
    assert jobs.expiry_warnings_send(as_of=date(2027, 2, 14)) == 0
    assert jobs.expiry_warnings_send(as_of=date(2027, 3, 1)) == 0
    assert jobs.expiry_warnings_send(as_of=date(2027, 3, 16)) == 1
    assert jobs.expiry_warnings_send(as_of=date(2027, 4, 10)) == 0
    notices = Notice.objects.filter(recipient=account.captain.email).order_by("pk")
    assert [n.subject for n in notices] == ["50 learning credits of Contoso expire on 2027-04-15"] * 2
    assert "expire in 60 days" in notices[0].body_text and "expire in 30 days" in notices[1].body_text


def test_no_warning_when_the_credits_are_spent(account):
    make_lot(account, 50, date(2026, 4, 15))
    with on(date(2027, 2, 1)):
        redemptions.redemption_create(account=account, kind="ilt", amount=50, description="All", actor=account.captain)
    assert jobs.expiry_warnings_send(as_of=date(2027, 2, 14)) == 0


# Redemption ---------------------------------------------------------------------------------------------------------


def test_fifo_across_three_lots_with_one_partly_spent(account):
    first = make_lot(account, 100, date(2026, 1, 15))
    second = make_lot(account, 100, date(2026, 4, 15))
    third = make_lot(account, 100, date(2026, 7, 15))
    with on(date(2026, 11, 2)):
        redemptions.redemption_create(
            account=account, kind="ilt", amount=70, description="Course A", actor=account.captain
        )
        redemption, _ = redemptions.redemption_create(
            account=account, kind="cert_prep", amount=80, description="Bootcamp", actor=account.captain
        )
    assert sorted((e.lot_id, e.amount) for e in redemption.allocations.all()) == [(first.pk, -30), (second.pk, -50)]
    remaining = {
        lot: sum(LedgerEntry.objects.filter(lot=lot).values_list("amount", flat=True)) for lot in (first, second, third)
    }
    assert remaining == {first: 0, second: 50, third: 100}
    assert balance(account) == 150


@pytest.mark.parametrize("ordered_on, ok", [(date(2027, 1, 10), True), (date(2027, 1, 11), False)])
def test_voucher_ordered_5_and_4_days_before_the_lot_expires(account, ordered_on, ok):
    make_lot(account, 100, date(2026, 1, 15))  # expires 2027-01-15
    with on(ordered_on):
        if ok:
            voucher, _ = redemptions.redemption_create(
                account=account, kind="exam_voucher", amount=30, description="CCNP exam", actor=account.captain
            )
            assert voucher.voucher_expires_on == date(2028, 1, 10)
        else:
            with pytest.raises(ValidationError) as exc:
                redemptions.redemption_create(
                    account=account, kind="exam_voucher", amount=30, description="CCNP exam", actor=account.captain
                )
            assert "at least 5 days before" in str(exc.value)
    assert balance(account) == (70 if ok else 100)


def test_voucher_skips_lots_expiring_within_5_days_and_uses_a_later_one(account):
    soon = make_lot(account, 100, date(2026, 1, 15))
    later = make_lot(account, 100, date(2026, 4, 15))
    with on(date(2027, 1, 12)):
        voucher, _ = redemptions.redemption_create(
            account=account, kind="exam_voucher", amount=30, description="Exam", actor=account.captain
        )
    assert [e.lot_id for e in voucher.allocations.all()] == [later.pk]
    assert soon.pk != later.pk


def test_event_registered_the_day_before_expiry_for_an_event_after_it(account):
    make_lot(account, 100, date(2026, 1, 15))  # expires 2027-01-15
    with on(date(2027, 1, 14)):
        event, _ = redemptions.redemption_create(
            account=account,
            kind="event_pass",
            amount=60,
            description="Live 2027",
            event_date=date(2027, 6, 7),
            actor=account.captain,
        )
    assert (event.ordered_on, event.event_date) == (date(2027, 1, 14), date(2027, 6, 7))
    assert balance(account) == 40


def test_vouchers_are_non_refundable_and_other_redemptions_can_be_reversed(account):
    make_lot(account, 100, date(2026, 10, 15))
    with on(date(2026, 11, 2)):
        voucher, _ = redemptions.redemption_create(
            account=account, kind="exam_voucher", amount=30, description="Exam", actor=account.captain
        )
        course, _ = redemptions.redemption_create(
            account=account, kind="ilt", amount=20, description="Course", actor=account.captain
        )
        with pytest.raises(ValidationError):
            redemptions.redemption_reverse(redemption=voucher, actor=account.captain, reason="Changed my mind")
        redemptions.redemption_reverse(redemption=course, actor=account.captain, reason="Course cancelled")
        with pytest.raises(ValidationError):
            redemptions.redemption_reverse(redemption=course, actor=account.captain, reason="Again")
    assert Redemption.objects.get(pk=course.pk).status == Redemption.REVERSED
    assert balance(account) == 70
    assert list(LedgerEntry.objects.filter(kind="reversal").values_list("amount", flat=True)) == [20]


def test_the_ledger_is_append_only(account):
    entry = make_lot(account, 10, date(2026, 10, 15)).entries.get()
    entry.amount = 1000
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_same_idempotency_key_twice_spends_once(account):
    make_lot(account, 100, date(2026, 10, 15))
    with on(date(2026, 11, 2)):
        first, created = redemptions.redemption_create(
            account=account, kind="ilt", amount=40, description="Course", actor=account.captain, idempotency_key="crm-1"
        )
        again, created_again = redemptions.redemption_create(
            account=account, kind="ilt", amount=40, description="Course", actor=account.captain, idempotency_key="crm-1"
        )
        with pytest.raises(redemptions.IdempotencyConflict):
            redemptions.redemption_create(
                account=account,
                kind="ilt",
                amount=41,
                description="Course",
                actor=account.captain,
                idempotency_key="crm-1",
            )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert balance(account) == 60 and Redemption.objects.count() == 1


def _queries_to_award_and_warn(n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for a in [AccountFactory() for _ in range(n)]:
        _place_tier_2(a)
    jobs.tiers_place(as_of=date(2026, 8, 1))
    notices_before = Notice.objects.count()
    with CaptureQueriesContext(connection) as awards:
        assert jobs.awards_issue(as_of=date(2026, 10, 15)) == n
    with CaptureQueriesContext(connection) as warnings:
        assert jobs.expiry_warnings_send(as_of=date(2027, 8, 16)) == n  # 60 days before 2027-10-15
    assert Notice.objects.count() - notices_before == 2 * n  # one award notice and one warning each
    return len(awards), len(warnings)


def test_awards_and_expiry_warnings_cost_the_same_queries_for_3_or_30_accounts():
    few = _queries_to_award_and_warn(3)
    many = _queries_to_award_and_warn(30)
    assert many == few, (few, many)
