"""The loyalty API: accounts (tier, balance, expiring), lots, ledger, redemptions with an idempotency key."""

from datetime import date

import pytest
from django.urls import reverse

from loyalty.models import LedgerEntry, Redemption
from tests.factories import make_user
from tests.loyalty.conftest import on
from tests.loyalty.factories import AccountFactory, make_captain, make_lot

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"v1:{name}", args=args)


@pytest.fixture
def lots(account, other_account):
    make_lot(account, 100, date(2026, 1, 15))  # expires 2027-01-15
    make_lot(account, 50, date(2026, 10, 15))  # expires 2027-10-15
    make_lot(other_account, 70, date(2026, 10, 15))


def test_account_manager_list_shows_tier_balance_and_expiring_credits(api, am, account, other_account, lots):
    with on(date(2026, 11, 26)):
        response = api(am).get(url("loyalty-account-list"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["name"], r["balance"], r["expiring_soon"]) for r in rows] == [("Contoso", 150, 100)]
    with on(date(2026, 11, 26)):
        assert api(am).get(url("loyalty-account-list"), {"expiring": "false"}).json()["count"] == 0


def test_staff_sees_every_account_and_partner_users_none(api, account, other_account, lots, partner_a):
    staff = make_user("staff", username="loyalty-staff")
    assert api(staff).get(url("loyalty-account-list")).json()["count"] == 2
    admin = make_user("partner_admin", partner=partner_a, username="pa")
    assert api(admin).get(url("loyalty-account-list")).json()["count"] == 0
    assert api(admin).get(url("loyalty-account-detail", account.pk)).status_code == 404


def test_another_accounts_objects_are_404(api, am, captain, account, other_account, lots):
    for user in (am, captain):
        client = api(user)
        assert client.get(url("loyalty-account-detail", other_account.pk)).status_code == 404
        assert client.get(url("loyalty-account-lots", other_account.pk)).status_code == 404
        assert client.get(url("loyalty-account-ledger", other_account.pk)).status_code == 404
        response = client.post(
            url("loyalty-redemption-list"),
            {"account": other_account.pk, "kind": "ilt", "amount": 1, "description": "x"},
        )
        assert response.status_code == 404


def test_captain_sees_lots_with_expiry_and_history(api, captain, account, lots):
    with on(date(2026, 11, 26)):
        lots_json = api(captain).get(url("loyalty-account-lots", account.pk)).json()
    assert [(lot["remaining"], lot["expires_on"]) for lot in lots_json] == [(100, "2027-01-15"), (50, "2027-10-15")]
    assert api(captain).get(url("loyalty-account-ledger", account.pk)).json()["count"] == 2


def test_same_idempotency_key_sent_twice_returns_the_first_result(api, captain, account, lots):
    body = {"account": account.pk, "kind": "ilt", "amount": 120, "description": "Security bootcamp"}
    with on(date(2026, 11, 26)):
        first = api(captain).post(url("loyalty-redemption-list"), body, HTTP_IDEMPOTENCY_KEY="crm-42")
        again = api(captain).post(url("loyalty-redemption-list"), body, HTTP_IDEMPOTENCY_KEY="crm-42")
        changed = api(captain).post(
            url("loyalty-redemption-list"), {**body, "amount": 10}, HTTP_IDEMPOTENCY_KEY="crm-42"
        )
    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 409)
    assert first.json() == again.json()
    assert sorted(a["credits"] for a in first.json()["allocations"]) == [20, 100]
    assert Redemption.objects.count() == 1
    assert sum(LedgerEntry.objects.filter(account=account).values_list("amount", flat=True)) == 30


def test_redemption_errors_are_400_with_field_messages(api, captain, account, lots):
    with on(date(2027, 1, 11)):
        response = api(captain).post(
            url("loyalty-redemption-list"),
            {"account": account.pk, "kind": "exam_voucher", "amount": 60, "description": "Exam"},
        )
    assert response.status_code == 400
    assert "at least 5 days before" in response.json()["amount"][0]
    response = api(captain).post(
        url("loyalty-redemption-list"),
        {"account": account.pk, "kind": "ilt", "amount": 1, "description": "x", "bogus": 1},
    )
    assert response.status_code == 400 and "bogus" in response.json()


def test_captain_accepts_terms_through_the_api(api, am):
    captain = make_captain("cap-api", login_id="cco-9")
    account = AccountFactory(captain=captain, account_manager=am, terms_accepted_on=None, terms_accepted_by=None)
    assert api(am).post(url("loyalty-account-accept-terms", account.pk)).status_code == 400
    with on(date(2026, 11, 26)):
        response = api(captain).post(url("loyalty-account-accept-terms", account.pk))
    assert response.status_code == 200 and response.json()["terms_accepted_on"] == "2026-11-26"


def test_redemption_detail_is_scoped(api, am, other_am, captain, account, lots):
    with on(date(2026, 11, 26)):
        created = (
            api(captain)
            .post(
                url("loyalty-redemption-list"),
                {"account": account.pk, "kind": "digital", "amount": 5, "description": "Videos"},
            )
            .json()
        )
    assert api(am).get(url("loyalty-redemption-detail", created["id"])).status_code == 200
    assert api(other_am).get(url("loyalty-redemption-detail", created["id"])).status_code == 404
