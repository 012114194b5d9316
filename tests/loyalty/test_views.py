"""The captain's page and the account manager's list."""

from datetime import date

import pytest
from django.urls import reverse

from core.models import Event
from loyalty.models import CustomerAccount, Redemption
from loyalty.services import redemptions
from tests.factories import make_user
from tests.loyalty.conftest import on
from tests.loyalty.factories import (
    AccountFactory,
    build_partner_data,
    make_captain,
    make_lot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lots(account, other_account):
    make_lot(account, 100, date(2026, 1, 15))
    make_lot(other_account, 70, date(2026, 10, 15))


def test_captain_page_shows_balance_lots_history_and_redeems(client, captain, account, lots):
    with on(date(2026, 11, 26)):
        client.force_login(captain)
        assert client.get(reverse("loyalty-home")).url == reverse("loyalty-account-detail", args=[account.pk])
        page = client.get(reverse("loyalty-account-detail", args=[account.pk])).content.decode()
        assert "Balance: 100 credits" in page and "2027-01-15" in page
        response = client.post(
            reverse("loyalty-account-redeem", args=[account.pk]),
            {"kind": "ilt", "amount": 30, "description": "Routing course", "idempotency_key": "form-1"},
        )
        assert response.status_code == 302
        client.post(
            reverse("loyalty-account-redeem", args=[account.pk]),
            {"kind": "ilt", "amount": 30, "description": "Routing course", "idempotency_key": "form-1"},
        )
        assert Redemption.objects.count() == 1  # a double-submitted form spends once
        page = client.get(reverse("loyalty-account-detail", args=[account.pk])).content.decode()
        assert "Balance: 70 credits" in page and "Routing course" in page
        bad = client.post(
            reverse("loyalty-account-redeem", args=[account.pk]),
            {"kind": "ilt", "amount": 999, "description": "Too much", "idempotency_key": "form-2"},
        )
        assert bad.status_code == 400 and "Only 70 credits" in bad.content.decode()


def test_other_account_is_404_for_captain_and_manager(client, captain, am, account, other_account, lots):
    for user in (captain, am):
        client.force_login(user)
        assert client.get(reverse("loyalty-account-detail", args=[other_account.pk])).status_code == 404
        assert (
            client.post(
                reverse("loyalty-account-redeem", args=[other_account.pk]),
                {"kind": "ilt", "amount": 1, "description": "x", "idempotency_key": "k"},
            ).status_code
            == 404
        )


def test_manager_list_with_filters_and_empty_state(client, am, account, lots, django_assert_max_num_queries):
    for n in range(30):
        AccountFactory(name=f"Extra {n:02d}", account_manager=am)
    with on(date(2026, 11, 26)):
        client.force_login(am)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("loyalty-account-list")).content.decode()
    assert "Contoso" in page and "Northwind" not in page and "Page 1 of 2" in page
    with on(date(2026, 11, 26)):
        expiring = client.get(reverse("loyalty-account-list"), {"expiring": "true"}).content.decode()
        assert "Contoso" in expiring and "Extra 00" not in expiring
        empty = client.get(reverse("loyalty-account-list"), {"q": "nothing-like-this"}).content.decode()
    assert "No accounts match" in empty


def test_captain_accepts_terms_on_the_page(client, am):
    captain = make_captain("cap-page", login_id="cco-77")
    account = AccountFactory(captain=captain, account_manager=am, terms_accepted_on=None, terms_accepted_by=None)
    client.force_login(captain)
    assert "Accept the terms" in client.get(reverse("loyalty-account-detail", args=[account.pk])).content.decode()
    with on(date(2026, 10, 31)):
        client.force_login(captain)
        client.post(reverse("loyalty-account-accept-terms", args=[account.pk]))
    account.refresh_from_db()
    assert account.terms_accepted_on == date(2026, 10, 31) and account.terms_accepted_by == captain


def test_customer_home_is_her_learning_credits(client, captain, account):
    client.force_login(captain)
    home = client.get(reverse("home")).content.decode()
    assert "Contoso" in home and reverse("loyalty-account-detail", args=[account.pk]) in home


def test_admin_pages_and_the_reverse_action(client, account, lots):
    staff = make_user("staff", username="loyalty-admin", is_superuser=True)
    with on(date(2026, 11, 26)):
        client.force_login(staff)
        course, _ = redemptions.redemption_create(
            account=account, kind="ilt", amount=10, description="Course", actor=staff
        )
        for model in (
            "customeraccount",
            "booking",
            "loyaltypolicy",
            "tier",
            "tierplacement",
            "creditlot",
            "redemption",
            "ledgerentry",
        ):
            assert client.get(reverse(f"admin:loyalty_{model}_changelist")).status_code == 200
        response = client.post(
            reverse("admin:loyalty_redemption_changelist"), {"action": "reverse", "_selected_action": [course.pk]}
        )
    assert response.status_code == 302
    assert Redemption.objects.get(pk=course.pk).status == Redemption.REVERSED


def test_tenancy_walk_data_is_invisible_to_partner_users(partner_a, partner_b, admin_a):
    objects = build_partner_data(partner_b)
    assert len(objects) >= 5
    assert not CustomerAccount.objects.visible_to(admin_a).exists()
    assert not Redemption.objects.visible_to(admin_a).exists()


def test_admin_adds_a_booking_through_the_service_and_checks_the_captain(client, account):
    staff = make_user("staff", username="loyalty-admin-2", is_superuser=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:loyalty_booking_add"),
        {"account": account.pk, "fiscal_year": 2026, "kind": "wpa", "net_amount": "5000000", "reference": "WPA"},
    )
    assert response.status_code == 302
    assert Event.objects.filter(kind="loyalty.booking_recorded").count() == 1
    no_login = make_captain("cap-nologin", login_id="")
    response = client.post(
        reverse("admin:loyalty_customeraccount_add"), {"name": "New", "customer_number": "N-1", "captain": no_login.pk}
    )
    assert response.status_code == 200 and "needs a vendor login ID" in response.content.decode()
