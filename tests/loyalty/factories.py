"""Loyalty factories. Customer accounts are not partners: build_partner_data makes an account (with a
distinctive name) for the tenancy walk, and no partner user may see it."""

from datetime import date
from decimal import Decimal

import factory

from core.dates import add_months
from loyalty.models import Booking, CreditLot, CustomerAccount, LedgerEntry
from loyalty.services import redemptions
from partners.models import Profile
from tests.factories import UserFactory, make_user


def make_captain(username=None, login_id="cco-123"):
    user = UserFactory(**({"username": username} if username else {}))
    Profile.objects.update_or_create(user=user, defaults={"role": "customer", "vendor_login_id": login_id})
    return user


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerAccount

    name = factory.Sequence(lambda n: f"Customer {n} Inc")
    customer_number = factory.Sequence(lambda n: f"C{n:05d}")
    captain = factory.LazyFunction(make_captain)
    terms_accepted_on = date(2025, 1, 10)
    terms_accepted_by = factory.SelfAttribute("captain")


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    account = factory.SubFactory(AccountFactory)
    fiscal_year = 2026
    kind = Booking.PRODUCT
    net_amount = Decimal("1000000")


def make_lot(account, amount, issued_on, expires_on=None, quarter=None):
    """A lot with its award entry (what the award job writes)."""
    from loyalty import fiscal

    q = fiscal.quarter_of(issued_on)
    lot = CreditLot.objects.create(
        account=account,
        amount=amount,
        issued_on=issued_on,
        expires_on=expires_on or add_months(issued_on, 12),
        fiscal_year=q.year,
        quarter=quarter or q.number,
    )
    LedgerEntry.objects.create(account=account, lot=lot, kind=LedgerEntry.AWARD, amount=amount, occurred_on=issued_on)
    return lot


def build_partner_data(partner):
    """One of each loyalty object, for an account named after the partner (partner users see none of them)."""
    manager = make_user("account_manager", username=f"loyalty-am-{partner.pk}")
    account = AccountFactory(name=f"Loyalty account of {partner.legal_name}", account_manager=manager)
    booking = BookingFactory(account=account, reference=f"Booking of {partner.legal_name}")
    lot = make_lot(account, 50, date(2026, 10, 15))
    redemption, _ = redemptions.redemption_create(
        account=account, kind="ilt", amount=10, description=f"Course for {partner.legal_name}", actor=account.captain
    )
    return [account, booking, lot, redemption, *redemption.allocations.all()]
