import pytest
from rest_framework.test import APIClient

from tests.factories import (
    AssociationFactory,
    IndividualFactory,
    PartnerFactory,
    make_user,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def partner_a(db):
    return PartnerFactory(legal_name="Alpha Networks")


@pytest.fixture
def partner_b(db):
    return PartnerFactory(legal_name="Bravo Systems")


@pytest.fixture
def admin_a(partner_a):
    return make_user("partner_admin", partner=partner_a, username="admin-a")


@pytest.fixture
def admin_b(partner_b):
    return make_user("partner_admin", partner=partner_b, username="admin-b")


@pytest.fixture
def staff_user(db):
    return make_user("staff", username="staff-user")


@pytest.fixture
def manager(partner_a):
    user = make_user("account_manager", username="manager-a")
    partner_a.account_managers.add(user)
    return user


@pytest.fixture
def individual_a(partner_a):
    return AssociationFactory(partner=partner_a, individual=IndividualFactory(first_name="Ada")).individual


@pytest.fixture
def individual_b(partner_b):
    return AssociationFactory(partner=partner_b, individual=IndividualFactory(first_name="Bob")).individual


@pytest.fixture
def member_a(partner_a, individual_a):
    return make_user("partner_member", partner=partner_a, individual=individual_a, username="member-a")


def _api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api():
    """api(user) -> an APIClient authenticated as that user."""
    return _api


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Every transactional test restores the database as migrations left it (serialized rollback).

    A plain transactional test flushes every table, data-migration rows (the default program's
    policy rows) included, and re-creates content types; mixing it with serialized tests breaks
    both. So all of them serialize: each starts from the migrated data and leaves no trace.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = "transactional_db" in getattr(item, "fixturenames", ()) or "live_server" in getattr(
            item, "fixturenames", ()
        )
        if marker is not None and marker.kwargs.get("transaction"):
            transactional = True
        if transactional:
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    # Browser tests last: Playwright's sync API keeps an event loop running in the main thread, and
    # Django's connections are context-local, so tests after it would get fresh connection objects
    # without the serialized database contents.
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))
