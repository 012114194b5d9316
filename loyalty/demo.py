"""Demo loyalty accounts: one managed by `manager` with Team Captain `captain`, bookings, lots and a redemption.

Idempotent: rows are found by natural keys; the jobs and the redemption (idempotency key) run once.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from core import clock
from core.dates import fiscal_year, fiscal_year_start
from partners.access import CUSTOMER, SYSTEM
from partners.demo import demo_user

from . import fiscal
from .models import Booking, CustomerAccount
from .services import accounts, jobs, redemptions

ACCOUNTS = [  # customer number, name, account manager, captain, vendor login id, eligible bookings a year
    ("C-1001", "Contoso Health Systems", "manager", "captain", "cco-captain-1001", Decimal("1400000")),
    ("C-2002", "Northwind Retail", None, "northwind-captain", "cco-northwind-2002", Decimal("300000")),
]
# The logins this demo adds, for the one block `seed_demo` prints.
LOGINS = [("captain", "Team Captain of Contoso Health Systems (learning credits; managed by `manager`)")]


def _captain(username, login_id):
    return demo_user(username, CUSTOMER, vendor_login_id=login_id)


def _award_days(today, count):
    """The 15th of the last `count` award months before today, oldest first."""
    days, quarter = [], fiscal.quarter_of(today)
    while len(days) < count:
        quarter = fiscal.quarter_of(quarter.start - timedelta(days=1))
        days.append(date(quarter.end.year, quarter.end.month, 15))
    return sorted(days)


@transaction.atomic
def load(stdout):
    User = get_user_model()
    today = clock.today()
    award_days = _award_days(today, 4)
    accepted_on = award_days[0] - timedelta(days=120)
    this_year = fiscal_year(today)
    for number, name, manager, captain_name, login_id, yearly in ACCOUNTS:
        captain = _captain(captain_name, login_id)
        account, _ = CustomerAccount.objects.get_or_create(
            customer_number=number,
            defaults={
                "name": name,
                "account_manager": User.objects.filter(username=manager).first() if manager else None,
                "captain": captain,
                "terms_accepted_on": accepted_on,
                "terms_accepted_by": captain,
                "terms_accepted_at": clock.now() - (today - accepted_on),
            },
        )
        if not account.bookings.exists():
            for year in range(this_year - 4, this_year):
                accounts.booking_record(
                    account=account,
                    fiscal_year=year,
                    kind=Booking.PRODUCT,
                    net_amount=yearly * Decimal("0.7"),
                    reference=f"Products FY{year}",
                    actor=SYSTEM,
                )
                accounts.booking_record(
                    account=account,
                    fiscal_year=year,
                    kind=Booking.SERVICE,
                    net_amount=yearly * Decimal("0.3"),
                    reference=f"Services FY{year}",
                    actor=SYSTEM,
                )
            accounts.booking_record(
                account=account,
                fiscal_year=this_year - 1,
                kind=Booking.WPA,
                net_amount=Decimal("5000000"),
                reference="Whole-portfolio agreement (not tiered)",
                actor=SYSTEM,
            )
    for day in award_days:
        jobs.tiers_place(as_of=fiscal_year_start(fiscal_year(day)))
        jobs.awards_issue(as_of=day)
    jobs.tiers_place(as_of=today)
    jobs.lots_expire(as_of=today)
    contoso = CustomerAccount.objects.get(customer_number="C-1001")
    redemptions.redemption_create(
        account=contoso,
        kind="ilt",
        amount=30,
        description="Implementing Secure Access (5 days)",
        actor=contoso.captain,
        idempotency_key="demo-redemption-1",
    )
    stdout.write(f"Loyalty: {len(ACCOUNTS)} customer accounts with bookings, lots and a redemption.")
