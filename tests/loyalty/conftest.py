from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import make_user
from tests.loyalty.factories import AccountFactory, make_captain


def on(day):
    """Travel to `day` (midday in the program time zone)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 20, tzinfo=UTC), tick=False)


@pytest.fixture
def am(db):
    return make_user("account_manager", username="loyalty-am")


@pytest.fixture
def other_am(db):
    return make_user("account_manager", username="loyalty-am-2")


@pytest.fixture
def captain(db):
    return make_captain("cap-1", login_id="cco-cap-1")


@pytest.fixture
def account(am, captain):
    return AccountFactory(name="Contoso", account_manager=am, captain=captain, terms_accepted_by=captain)


@pytest.fixture
def other_account(other_am):
    return AccountFactory(name="Northwind", account_manager=other_am)
